// Writing domain events to the shard's outbox, in the transaction of the change they describe. The relay
// (event platform issue) publishes them in position order; the catalog of versioned schemas arrives with it.
import { randomUUID } from "node:crypto";
import { canonicalJson } from "../audit/canonical-json.ts";
import { insertRow } from "../data/rows.ts";
import type { ShardTx } from "../data/shard-transaction.ts";

export interface DomainEvent {
  type: string;
  version: number;
  aggregateType: string;
  aggregateId: string;
  /** The patient id: events of one patient keep their order on every partition. */
  partitionKey: string;
  payload: Record<string, unknown>;
}

export interface EventHeaders {
  requestId: string;
  traceparent: string | null;
  actorId: string;
  shard: number;
}

export async function appendOutboxEvents(tx: ShardTx, events: readonly DomainEvent[], headers: EventHeaders, occurredAt: Date): Promise<string[]> {
  const ids: string[] = [];
  for (const e of events) {
    const eventId = randomUUID();
    ids.push(eventId);
    await insertRow(tx, "OutboxEvent", {
      eventId,
      eventType: e.type,
      eventVersion: e.version,
      aggregateType: e.aggregateType,
      aggregateId: e.aggregateId,
      partitionKey: e.partitionKey,
      payload: canonicalJson(e.payload),
      headers: canonicalJson(headers),
      occurredAt,
      publishedAt: null,
      attempts: 0,
    });
  }
  return ids;
}
