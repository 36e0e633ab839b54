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

/**
 * The outbox row of an event, checked against the catalog: an event it does not describe is an error.
 * `check` false is for seeding, whose snapshot builder a test holds to the catalog: checking 100,000
 * snapshots here would cost the generator seconds of its 60 s goal.
 */
export function outboxRowOf(e: DomainEvent, headers: EventHeaders, occurredAt: Date, check = true): Record<string, unknown> {
  const payload = check ? canonicalJson(e.payload) : JSON.stringify(e.payload);
  if (check) {
    const checked = payloadSchema(e.type, e.version)?.safeParse(JSON.parse(payload));
    if (!checked?.success) throw new Error(`event ${e.type} v${e.version} does not match the catalog: ${checked?.error.message ?? "unknown type"}`);
  }
  return {
    eventId: randomUUID(),
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
  };
}

/** The outbox's columns a writer gives (the position is the database's to assign), for bulk inserts. */
export const OUTBOX_INSERT_COLUMNS = [
  "eventId",
  "eventType",
  "eventVersion",
  "aggregateType",
  "aggregateId",
  "partitionKey",
  "payload",
  "headers",
  "occurredAt",
  "publishedAt",
  "attempts",
] as const;

export async function appendOutboxEvents(tx: ShardTx, events: readonly DomainEvent[], headers: EventHeaders, occurredAt: Date): Promise<string[]> {
  const ids: string[] = [];
  for (const e of events) {
    // An event the catalog does not describe never enters the outbox: the write fails instead.
    const row = outboxRowOf(e, headers, occurredAt);
    ids.push(row.eventId as string);
    await insertRow(tx, "OutboxEvent", row);
  }
  return ids;
}
