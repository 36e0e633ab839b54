// The unit of work every write to patient data goes through: one local transaction on the patient's shard
// that holds the domain change, its history rows (before/after), its audit entry (hash-chained), its
// outbox events and its idempotency record. They commit together or not at all.
import { createHash, randomUUID } from "node:crypto";
import { appendAuditEntry, claimChainHead } from "../audit/audit-chain.ts";
import { canonicalJson } from "../audit/canonical-json.ts";
import type { Actor } from "../auth/roles.ts";
import type { LabDatabases } from "../data/lab-databases.ts";
import { insertRow, selectRow } from "../data/rows.ts";
import { type ShardTx, inPatientShard } from "../data/shard-transaction.ts";
import { SpanKind, contextFromTraceparent, inSpan } from "../telemetry/tracing.ts";
import { LabError } from "../errors/index.ts";
import { type DomainEvent, appendOutboxEvents } from "../events/outbox.ts";

export interface RequestContext {
  actor: Actor;
  requestId: string;
  traceparent: string | null;
  idempotencyKey: string | null;
  now: Date;
}

export interface HistoryChange {
  entityType: string;
  entityId: string;
  version: number;
  operation: "create" | "update" | "delete";
  before: unknown;
  after: unknown;
}

export interface CommandOutcome<R> {
  /** The HTTP status a service answers with (201 for creations, 200 otherwise). */
  status: number;
  result: R;
  audit: { action: string; entityType: string; entityId: string; details: Record<string, unknown> };
  history: HistoryChange[];
  events: DomainEvent[];
}

/** One row a command created or moved to its next version, and what its audit entry and its one event say. */
export interface RowWrite<R extends { id: string; version: number }> {
  /** The audit entry's action: the command's operation ("encounter.close"). */
  action: string;
  entityType: string;
  patientId: string;
  /** The row before the change; null when the command created it (answered with 201). */
  before: R | null;
  after: R;
  details: Record<string, unknown>;
  event: string;
  payload: Record<string, unknown>;
}

/** The outcome of a command that writes one row: the row as the answer, its audit entry, its history change and its event. */
export function rowWritten<R extends { id: string; version: number }>(w: RowWrite<R>): CommandOutcome<R> {
  const created = w.before === null;
  return {
    status: created ? 201 : 200,
    result: w.after,
    audit: { action: w.action, entityType: w.entityType, entityId: w.after.id, details: w.details },
    history: [
      { entityType: w.entityType, entityId: w.after.id, version: w.after.version, operation: created ? "create" : "update", before: w.before, after: w.after },
    ],
    events: [{ type: w.event, version: 1, aggregateType: w.entityType, aggregateId: w.after.id, partitionKey: w.patientId, payload: w.payload }],
  };
}

export interface CommandReply<R> {
  status: number;
  body: R;
  /** True when this is the stored answer to an Idempotency-Key seen before: nothing was written again. */
  replayed: boolean;
}

/** Where the write path can be made to fail on purpose: by tests, and by the lab's torn-write drills. */
export type WriteFault = "after-domain" | "after-history" | "after-audit" | "after-outbox";

/**
 * A command on one patient's records: the lab, who asks, the patient, the command's own arguments, and last
 * the write fault tests inject. Every command on a registered patient's records has this shape.
 */
export type PatientCommand<A extends unknown[], R> = (
  lab: LabDatabases,
  ctx: RequestContext,
  patientId: string,
  ...args: [...A, fault?: WriteFault]
) => Promise<CommandReply<R>>;

/** A command on one row of the patient's, at the version the caller read (If-Match): a stale version is a 409. */
export type VersionedCommand<R, A extends unknown[] = []> = PatientCommand<[rowId: string, expectedVersion: number, ...A], R>;

export interface CommandOptions {
  /** What the command does ("diagnosis.record"): one key reused for another operation is refused. */
  operation: string;
  /** The request as received, for Idempotency-Key comparison. */
  request: unknown;
  fault?: WriteFault;
}

const traceIdOf = (traceparent: string | null) => (traceparent ? (/^[0-9a-f]{2}-([0-9a-f]{32})-/.exec(traceparent)?.[1] ?? null) : null);

function injected(fault: WriteFault | undefined, stage: WriteFault) {
  if (fault === stage) throw new Error(`injected write fault ${stage}`);
}

export async function runPatientCommand<R>(
  lab: LabDatabases,
  patientId: string,
  ctx: RequestContext,
  options: CommandOptions,
  command: (tx: ShardTx) => Promise<CommandOutcome<R>>,
): Promise<CommandReply<R>> {
  const requestHash = createHash("sha256")
    .update(canonicalJson({ operation: options.operation, request: options.request ?? null }))
    .digest("hex");
  const shardIndex = lab.shardMap.shardOf(patientId);
  // The shard transaction as a span of the request's trace (the server span named by ctx.traceparent).
  return inSpan(
    `shard transaction ${options.operation}`,
    {
      kind: SpanKind.CLIENT,
      parent: contextFromTraceparent(ctx.traceparent),
      attributes: { "db.system.name": lab.config.database.kind, "db.operation.name": "transaction", "lab.shard": shardIndex },
    },
    () =>
      inPatientShard(lab, patientId, async (tx, shard) => {
        if (ctx.idempotencyKey) {
          const seen = await selectRow(tx, "IdempotencyRecord", { actorId: ctx.actor.userId, key: ctx.idempotencyKey });
          if (seen) {
            if (seen.requestHash !== requestHash) {
              throw new LabError("unprocessable", "this Idempotency-Key was already used with a different request", { field: "Idempotency-Key" });
            }
            return { status: seen.statusCode, body: JSON.parse(seen.response) as R, replayed: true };
          }
        }
        const claimed = await claimChainHead(tx);
        const outcome = await command(tx);
        injected(options.fault, "after-domain");

        for (const change of outcome.history) {
          await insertRow(tx, "EntityHistory", {
            id: `his-${randomUUID()}`,
            patientId,
            entityType: change.entityType,
            entityId: change.entityId,
            version: change.version,
            operation: change.operation,
            before: change.before === null ? null : canonicalJson(change.before),
            after: change.after === null ? null : canonicalJson(change.after),
            actorId: ctx.actor.userId,
            requestId: ctx.requestId,
            changedAt: ctx.now,
          });
        }
        injected(options.fault, "after-history");

        await appendAuditEntry(tx, claimed, {
          occurredAt: ctx.now,
          actorId: ctx.actor.userId,
          actorRole: ctx.actor.role,
          action: outcome.audit.action,
          entityType: outcome.audit.entityType,
          entityId: outcome.audit.entityId,
          patientId,
          requestId: ctx.requestId,
          traceId: traceIdOf(ctx.traceparent),
          outcome: "success",
          details: outcome.audit.details,
        });
        injected(options.fault, "after-audit");

        await appendOutboxEvents(
          tx,
          outcome.events,
          { requestId: ctx.requestId, traceparent: ctx.traceparent, actorId: ctx.actor.userId, shard: shard.index },
          ctx.now,
        );
        injected(options.fault, "after-outbox");

        // Stored as JSON text: Dates become ISO strings, exactly as the first answer went over the wire.
        const body = JSON.parse(JSON.stringify(outcome.result, (_k, v) => (typeof v === "bigint" ? v.toString() : v))) as R;
        if (ctx.idempotencyKey) {
          await insertRow(tx, "IdempotencyRecord", {
            actorId: ctx.actor.userId,
            key: ctx.idempotencyKey,
            patientId,
            requestHash,
            statusCode: outcome.status,
            response: JSON.stringify(body),
            createdAt: ctx.now,
          });
        }
        return { status: outcome.status, body, replayed: false };
      }),
  );
}
