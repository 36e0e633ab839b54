// The projector: consumes the domain events as one consumer group and applies them to the read models.
// A message that keeps failing (after `maxAttempts`, or at once when it can never succeed: not an event of
// the catalog) goes to the dead-letter table and topic with its error, and the stream moves on; an operator
// lists dead letters and redrives them once the cause is fixed.
import type { SqlDatabase } from "../data/sql-database.ts";
import { LabError } from "../errors/index.ts";
import { DEAD_LETTER_TOPIC, DOMAIN_TOPIC, type Delivery, type EventBus, type Subscription } from "./bus.ts";
import { type EventEnvelope, checkEnvelope } from "./envelope.ts";
import { applyEvent, applyEvents } from "./projections.ts";
import { ROOT_CONTEXT, SpanKind, inSpan, linksTo } from "../telemetry/tracing.ts";

export const PROJECTOR_GROUP = "projector";

export interface ProjectorOptions {
  group?: string;
  maxAttempts?: number;
  retryMs?: number;
  maxBatch?: number;
  /** Called after each event's first application (for lag measurements). */
  onApplied?: (envelope: EventEnvelope) => void;
  /** An injected fault (lib/events/event-faults.ts): a delay before each batch, a share of events that fail. */
  fault?: () => { delayMs: number; failRate: number } | null;
  /** Called for each failed attempt at a message, and once more when it is dead-lettered. */
  onFailure?: (failure: { partition: number; offset: number; attempt: number; deadLettered: boolean; error: string }) => void;
}

export interface ProjectorStats {
  applied: number;
  duplicates: number;
  deadLettered: number;
}

export interface Projector {
  stats: ProjectorStats;
  stop(): Promise<void>;
}

export interface DeadLetter {
  eventId: string;
  type: string;
  partitionKey: string;
  error: string;
  attempts: number;
  failedAt: string;
  status: "dead" | "redriven";
}

/** Dead letters are kept by event id, or by their place in the log when they are not even an envelope. */
const letterId = (d: Delivery, envelope: EventEnvelope | null) => envelope?.eventId ?? `raw:${d.topic}:${d.partition}:${d.offset}`;
const reason = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 2000);

export async function startProjector(bus: EventBus, db: SqlDatabase, options: ProjectorOptions = {}): Promise<Projector> {
  const maxAttempts = options.maxAttempts ?? 5;
  const retryMs = options.retryMs ?? 100;
  const stats: ProjectorStats = { applied: 0, duplicates: 0, deadLettered: 0 };
  // Decided once per message (from its place in the log), so every retry of a failing event fails too and
  // it reaches the dead letters: a share of poison events, not a share of attempts.
  const failing = (d: Delivery) => {
    const rate = options.fault?.()?.failRate ?? 0;
    return rate > 0 && unitHash(`${d.topic}:${d.partition}:${d.offset}`) < rate;
  };

  const project = async (d: Delivery) => {
    let envelope: EventEnvelope | null = null;
    let lastError: unknown;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      try {
        envelope ??= checkEnvelope(JSON.parse(d.value));
        if (failing(d)) throw new Error("injected fault: projecting this event failed");
        if (await applyEvent(db, envelope)) {
          stats.applied++;
          options.onApplied?.(envelope);
        } else stats.duplicates++;
        return;
      } catch (err) {
        lastError = err;
        options.onFailure?.({ partition: d.partition, offset: d.offset, attempt, deadLettered: false, error: reason(err) });
        // A message that is not a catalog event will not become one by retrying.
        if (err instanceof SyntaxError || (err instanceof LabError && err.code === "invalid") || attempt === maxAttempts) break;
        await new Promise((r) => setTimeout(r, retryMs * attempt));
      }
    }
    await deadLetter(bus, db, d, envelope, reason(lastError), maxAttempts);
    stats.deadLettered++;
    options.onFailure?.({ partition: d.partition, offset: d.offset, attempt: maxAttempts, deadLettered: true, error: reason(lastError) });
  };

  // A batch is applied in one read-model transaction; if any of it fails, it is applied again event by
  // event, so a poison message is isolated (and dead-lettered) without holding back the rest.
  const projectBatch = async (batch: Delivery[]) => {
    // Under an injected failure rate each event goes alone, so the failures hit single events, as a poison one would.
    if ((options.fault?.()?.failRate ?? 0) > 0) return false;
    const envelopes: EventEnvelope[] = [];
    for (const d of batch) {
      try {
        envelopes.push(checkEnvelope(JSON.parse(d.value)));
      } catch {
        return false;
      }
    }
    let applied: boolean[];
    try {
      applied = await applyEvents(db, envelopes);
    } catch {
      return false;
    }
    applied.forEach((first, i) => {
      if (first) {
        stats.applied++;
        options.onApplied?.(envelopes[i]!);
      } else stats.duplicates++;
    });
    return true;
  };

  const subscription: Subscription = await bus.subscribe(
    { group: options.group ?? PROJECTOR_GROUP, topic: DOMAIN_TOPIC, fromBeginning: true, maxBatch: options.maxBatch ?? 500 },
    (batch) =>
      // One consumer span per batch, linked to the traces of the requests whose events it applies.
      inSpan(
        `${DOMAIN_TOPIC} process`,
        {
          kind: SpanKind.CONSUMER,
          parent: ROOT_CONTEXT,
          links: linksTo(batch.map((d) => d.headers.traceparent)),
          attributes: { "messaging.system": bus.kind, "messaging.destination.name": DOMAIN_TOPIC, "messaging.batch.message_count": batch.length, "messaging.consumer.group.name": options.group ?? PROJECTOR_GROUP },
        },
        async () => {
          const delayMs = options.fault?.()?.delayMs ?? 0;
          if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
          if (await projectBatch(batch)) return;
          for (const d of batch) await project(d);
        },
      ),
  );
  return { stats, stop: () => subscription.stop() };
}

/** A number in [0, 1) from a string (FNV-1a), the same for the same string. */
function unitHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 4294967296;
}

async function deadLetter(bus: EventBus, db: SqlDatabase, d: Delivery, envelope: EventEnvelope | null, error: string, attempts: number) {
  const id = letterId(d, envelope);
  const failedAt = new Date().toISOString();
  await db.transaction((tx) =>
    tx.execute(
      `INSERT INTO "dead_letters" ("event_id", "type", "partition_key", "value", "error", "attempts", "failed_at", "status") VALUES (?, ?, ?, ?, ?, ?, ?, 'dead')
       ON CONFLICT ("event_id") DO UPDATE SET "error" = excluded."error", "attempts" = "dead_letters"."attempts" + excluded."attempts", "failed_at" = excluded."failed_at", "status" = 'dead'`,
      [id, envelope?.type ?? "(unreadable)", d.key, d.value, error, attempts, failedAt],
    ),
  );
  // Also on the dead-letter topic, for tools that watch the bus rather than the projector's store.
  await bus.publish(DEAD_LETTER_TOPIC, [{ key: d.key, value: JSON.stringify({ eventId: id, error, attempts, failedAt, from: { topic: d.topic, partition: d.partition, offset: d.offset }, value: d.value }) }]);
}

export async function listDeadLetters(db: SqlDatabase, status: "dead" | "redriven" | "all" = "dead"): Promise<DeadLetter[]> {
  const rows = await db.query<{ event_id: string; type: string; partition_key: string; error: string; attempts: number; failed_at: string; status: "dead" | "redriven" }>(
    `SELECT "event_id", "type", "partition_key", "error", "attempts", "failed_at", "status" FROM "dead_letters" ${status === "all" ? "" : `WHERE "status" = ?`} ORDER BY "failed_at", "event_id"`,
    status === "all" ? [] : [status],
  );
  return rows.map((r) => ({ eventId: r.event_id, type: r.type, partitionKey: r.partition_key, error: r.error, attempts: Number(r.attempts), failedAt: r.failed_at, status: r.status }));
}

/** Applies a dead letter again; it is marked redriven when it now succeeds, and keeps its new error when not. */
export async function redriveDeadLetter(db: SqlDatabase, eventId: string): Promise<DeadLetter> {
  const [row] = await db.query<{ value: string; status: string }>(`SELECT "value", "status" FROM "dead_letters" WHERE "event_id" = ?`, [eventId]);
  if (!row) throw new LabError("not_found", `no dead letter ${eventId}`, { field: "eventId" });
  if (row.status !== "dead") throw new LabError("conflict", `dead letter ${eventId} was already redriven`, { field: "eventId" });
  try {
    await applyEvent(db, checkEnvelope(JSON.parse(row.value)));
    await db.transaction((tx) => tx.execute(`UPDATE "dead_letters" SET "status" = 'redriven' WHERE "event_id" = ?`, [eventId]));
  } catch (err) {
    await db.transaction((tx) => tx.execute(`UPDATE "dead_letters" SET "error" = ?, "attempts" = "attempts" + 1, "failed_at" = ? WHERE "event_id" = ?`, [reason(err), new Date().toISOString(), eventId]));
  }
  return (await listDeadLetters(db, "all")).find((l) => l.eventId === eventId)!;
}
