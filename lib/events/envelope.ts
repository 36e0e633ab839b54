// The envelope every event travels in, on either bus: identity, type and version, when and where it
// happened, the partition key (the patient id: one patient's events keep their order), and the request's
// trace context so a consumer's span can link to the request that produced the event.
import { z } from "zod";
import type { OutboxEvent } from "../data/prisma-clients.ts";
import { LabError } from "../errors/index.ts";
import { payloadSchema } from "./catalog.ts";

export const EventHeaders = z.looseObject({
  requestId: z.string().min(1),
  traceparent: z.string().nullable(),
  actorId: z.string().min(1),
  shard: z.number().int().min(0),
});
export type EventHeaders = z.infer<typeof EventHeaders>;

export const EventEnvelope = z.looseObject({
  eventId: z.uuid(),
  type: z.string().min(1),
  version: z.number().int().min(1),
  occurredAt: z.iso.datetime({ offset: true }),
  shard: z.number().int().min(0),
  /** Where the event sits in its shard's outbox: with the shard, its identity before publication. */
  outboxPosition: z.number().int().min(1),
  aggregateType: z.string().min(1),
  aggregateId: z.string().min(1),
  partitionKey: z.string().min(1),
  headers: EventHeaders,
  payload: z.record(z.string(), z.unknown()),
});
export type EventEnvelope = z.infer<typeof EventEnvelope>;

/**
 * The envelope of an outbox row. The outbox only takes payloads the catalog accepts (checked in the
 * write's transaction), so the relay's hot path may skip checking them again (`check: false`).
 */
export function envelopeOf(row: OutboxEvent, shard: number, check = true): EventEnvelope {
  const envelope: EventEnvelope = {
    eventId: row.eventId,
    type: row.eventType,
    version: row.eventVersion,
    occurredAt: row.occurredAt.toISOString(),
    shard,
    outboxPosition: Number(row.position),
    aggregateType: row.aggregateType,
    aggregateId: row.aggregateId,
    partitionKey: row.partitionKey,
    headers: JSON.parse(row.headers) as EventHeaders,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
  };
  return check ? checkEnvelope(envelope) : envelope;
}

/** Checks an envelope and its payload against the catalog; a stranger is a clear error, never a crash. */
export function checkEnvelope(value: unknown): EventEnvelope {
  const envelope = EventEnvelope.safeParse(value);
  if (!envelope.success) {
    const issue = envelope.error.issues[0]!;
    throw new LabError("invalid", `event envelope: ${issue.path.join(".") || "(root)"}: ${issue.message}`, { field: issue.path.join(".") });
  }
  const schema = payloadSchema(envelope.data.type, envelope.data.version);
  if (!schema) throw new LabError("invalid", `event ${envelope.data.type} v${envelope.data.version} is not in the catalog`, { field: "type" });
  const payload = schema.safeParse(envelope.data.payload);
  if (!payload.success) {
    const issue = payload.error.issues[0]!;
    throw new LabError("invalid", `${envelope.data.type} v${envelope.data.version} payload: ${issue.path.join(".")}: ${issue.message}`, {
      field: `payload.${issue.path.join(".")}`,
    });
  }
  return envelope.data;
}
