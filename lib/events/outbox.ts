// Writing domain events to the shard's outbox, in the transaction of the change they describe. The relay
// publishes them in position order; every payload is checked against the event catalog first.
import { randomUUID } from "node:crypto";
import { canonicalJson } from "../audit/canonical-json.ts";
import { insertRow } from "../data/rows.ts";
import { payloadSchema } from "./catalog.ts";
import type { EventHeaders } from "./envelope.ts";
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


export async function appendOutboxEvents(tx: ShardTx, events: readonly DomainEvent[], headers: EventHeaders, occurredAt: Date): Promise<string[]> {
  const ids: string[] = [];
  for (const e of events) {
    // An event the catalog does not describe never enters the outbox: the write fails instead.
    const payload = canonicalJson(e.payload);
    const schema = payloadSchema(e.type, e.version);
    const checked = schema?.safeParse(JSON.parse(payload));
    if (!checked?.success) throw new Error(`event ${e.type} v${e.version} does not match the catalog: ${checked?.error.message ?? "unknown type"}`);
    const eventId = randomUUID();
    ids.push(eventId);
    await insertRow(tx, "OutboxEvent", {
      eventId,
      eventType: e.type,
      eventVersion: e.version,
      aggregateType: e.aggregateType,
      aggregateId: e.aggregateId,
      partitionKey: e.partitionKey,
      payload,
      headers: canonicalJson(headers),
      occurredAt,
      publishedAt: null,
      attempts: 0,
    });
  }
  return ids;
}
