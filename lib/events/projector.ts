// The projector: consumes the domain events as one consumer group and applies them to the read models, a
// batch per transaction. A failing event never stalls its partition (ADR 0019): what can never be
// projected (not a catalog event, a bad payload) is parked as a dead letter at once; an ordering gap (a
// claim moving before its ClaimCreated) waits in the waiting room for its predecessor, briefly, then parks
// with that reason; any other failure is retried there on a doubling schedule, then parks. Later events of
// the same patient wait behind a retried one, so a patient's events never overtake each other, while every
// other patient's events flow at full speed. An operator lists dead letters and redrives them.
import type { SqlDatabase } from "../data/sql-database.ts";
import { LabError } from "../errors/index.ts";
import { DEAD_LETTER_TOPIC, DOMAIN_TOPIC, type Delivery, type EventBus, type Subscription } from "./bus.ts";
import { type FailureKind, type ParkedLetter, deadLetterMessage, parkInTransaction } from "./dead-letters.ts";
import { type EventEnvelope, checkEnvelope } from "./envelope.ts";
import { type HeldEvent, type HeldKind, holdInTransaction, readHeldByKey, releaseHeld, updateHeld } from "./held-events.ts";
import { CounterDeltas, OrderingGap, applyEventInTransaction } from "./projections.ts";
import { inEventBatchSpan } from "../telemetry/tracing.ts";

export { countDeadLetters, listDeadLetters, redriveDeadLetter, type DeadLetter } from "./dead-letters.ts";

export const PROJECTOR_GROUP = "projector";

export interface ProjectorOptions {
  group?: string;
  maxBatch?: number;
  /** How long an ordering gap waits for the event before it (default 10 s); 0 parks it at once (a replay: its log is whole). */
  gapWaitMs?: number;
  /** Attempts at an event failing for another reason before it is parked (default 5), the first retry after `retryMs` (default 200), doubling up to `maxRetryMs` (default 5 s). */
  maxAttempts?: number;
  retryMs?: number;
  maxRetryMs?: number;
  /** How often the waiting room is looked at while it holds anything (default 100 ms). */
  drainEveryMs?: number;
  /** Applies only what lies before these offsets (a replay compared with live models at their position); later messages pass unapplied. */
  until?: Record<number, number>;
  /** Called after each event's first application (for lag measurements). */
  onApplied?: (envelope: EventEnvelope) => void;
  /** An injected fault (lib/events/event-faults.ts): a delay before each batch, a share of events that fail. */
  fault?: () => { delayMs: number; failRate: number } | null;
  /** Called when an event is held, retried without success, or parked. */
  onFailure?: (failure: { partition: number; offset: number; kind: FailureKind; attempt: number; deadLettered: boolean; error: string }) => void;
}

export interface ProjectorStats {
  applied: number;
  duplicates: number;
  deadLettered: number;
  /** Events in the waiting room now. */
  held: number;
}

export interface Projector {
  stats: ProjectorStats;
  stop(): Promise<void>;
}

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 2000);
const GAP_RETRY_MS = 250;

/** What kind of failure an error is: the rule that decides between parking at once, waiting and retrying. */
export function failureKind(err: unknown): FailureKind {
  if (err instanceof OrderingGap) return "gap";
  if (err instanceof SyntaxError || (err instanceof LabError && err.code === "invalid")) return "poison";
  return "transient";
}

/** Thrown out of a segment when the effects of the batch's `index`th event fail: the segment is redone. */
class EffectFailed extends Error {
  constructor(
    readonly index: number,
    cause: unknown,
  ) {
    super(reason(cause), { cause });
  }
}
/** Events under one savepoint: a failing event costs the redo of this many at the most. */
const SEGMENT = 50;

type Item = { d: Delivery; envelope: EventEnvelope | null; error: unknown };

export async function startProjector(bus: EventBus, db: SqlDatabase, options: ProjectorOptions = {}): Promise<Projector> {
  const gapWaitMs = options.gapWaitMs ?? 10_000;
  const maxAttempts = options.maxAttempts ?? 5;
  const retryMs = options.retryMs ?? 200;
  const backoff = (attempts: number) => Math.min(retryMs * 2 ** (attempts - 1), options.maxRetryMs ?? 5_000);
  const group = options.group ?? PROJECTOR_GROUP;
  const stats: ProjectorStats = { applied: 0, duplicates: 0, deadLettered: 0, held: 0 };
  // The patients whose new events must wait behind a held one (one waiting for a retry; a gap does not
  // block: the next event may be the one it waits for). Read back from the waiting room after every change.
  let blocked = new Set<string>();
  const refreshKeys = async () => {
    const rows = await db.query<{ partition_key: string; kind: HeldKind; n: number }>(
      `SELECT "partition_key", "kind", COUNT(*) AS "n" FROM "held_events" GROUP BY "partition_key", "kind"`,
    );
    blocked = new Set(rows.filter((r) => r.kind !== "gap").map((r) => r.partition_key));
    stats.held = rows.reduce((sum, r) => sum + Number(r.n), 0);
  };
  await refreshKeys();

  // Batches and the waiting room's passes take turns: both write the read models and the waiting room.
  let turn: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const next = turn.then(work, work);
    turn = next.catch(() => undefined);
    return next;
  };

  // Decided once per message (from its place in the log), so every retry of a failing event fails too and
  // it reaches the dead letters: a share of poison events, not a share of attempts.
  const failing = (partition: number, offset: number) => {
    const rate = options.fault?.()?.failRate ?? 0;
    return rate > 0 && unitHash(`${DOMAIN_TOPIC}:${partition}:${offset}`) < rate;
  };
  // Worded as a real projection failure: the dead letters are an on-call signal, the fault behind it is not.
  const injected = () => new Error("projecting this event failed: the read model refused the change");

  /** What one transaction decided, acted on once it has committed. */
  interface Outcome {
    applied: EventEnvelope[];
    duplicates: number;
    parked: ParkedLetter[];
    failures: { partition: number; offset: number; kind: FailureKind; attempt: number; error: string }[];
    heldChanged: boolean;
  }
  const newOutcome = (): Outcome => ({ applied: [], duplicates: 0, parked: [], failures: [], heldChanged: false });

  const settle = async (o: Outcome, failedAt: string) => {
    for (const e of o.applied) {
      stats.applied++;
      options.onApplied?.(e);
    }
    stats.duplicates += o.duplicates;
    stats.deadLettered += o.parked.length;
    for (const f of o.failures) options.onFailure?.({ ...f, deadLettered: false });
    for (const p of o.parked)
      options.onFailure?.({ partition: p.from.partition, offset: p.from.offset, kind: p.kind, attempt: p.attempts, deadLettered: true, error: p.error });
    if (o.heldChanged) await refreshKeys();
    if (o.parked.length > 0) {
      // The table is the record; the topic is for tools that watch the bus, told after the commit and off the
      // partition's path (its first publish may create the topic, which takes Kafka a second or two).
      const told = bus
        .publish(
          DEAD_LETTER_TOPIC,
          o.parked.map((p) => deadLetterMessage(p, failedAt)),
        )
        .catch(() => undefined);
      telling.add(told);
      void told.finally(() => telling.delete(told));
    }
  };
  const telling = new Set<Promise<unknown>>();

  const park = (
    o: Outcome,
    item: { eventId: string; type: string; key: string; value: string; from: ParkedLetter["from"] },
    kind: FailureKind,
    error: string,
    attempts: number,
  ) => o.parked.push({ eventId: item.eventId, type: item.type, key: item.key, value: item.value, kind, error, attempts, from: item.from });

  /** Applies one event inside a savepoint, so its failure undoes only its own statements. */
  const tryApply = async (
    tx: SqlDatabase,
    counters: CounterDeltas,
    envelope: EventEnvelope,
    partition: number,
    offset: number,
  ): Promise<{ ok: true; first: boolean } | { ok: false; err: unknown }> => {
    if (failing(partition, offset)) return { ok: false, err: injected() };
    await tx.execute(`SAVEPOINT "projector_event"`);
    try {
      const first = await applyEventInTransaction(tx, envelope, counters);
      await tx.execute(`RELEASE SAVEPOINT "projector_event"`);
      return { ok: true, first };
    } catch (err) {
      await tx.execute(`ROLLBACK TO SAVEPOINT "projector_event"`);
      await tx.execute(`RELEASE SAVEPOINT "projector_event"`);
      return { ok: false, err };
    }
  };

  /** A first failure of a new event: parked at once, or held for its retries, by its kind. */
  const firstFailure = async (tx: SqlDatabase, o: Outcome, item: Item, envelope: EventEnvelope, err: unknown, now: number) => {
    const kind = failureKind(err);
    const base = {
      eventId: envelope.eventId,
      type: envelope.type,
      key: item.d.key,
      value: item.d.value,
      from: { topic: item.d.topic, partition: item.d.partition, offset: item.d.offset },
    };
    if (kind === "poison") return park(o, base, "poison", `poison: ${reason(err)}`, 1);
    if (kind === "gap" && gapWaitMs === 0) return park(o, base, "gap", gapReason(err, 0), 1);
    await holdInTransaction(tx, {
      eventId: envelope.eventId,
      key: item.d.key,
      partition: item.d.partition,
      offset: item.d.offset,
      type: envelope.type,
      value: item.d.value,
      kind,
      reason: reason(err),
      attempts: 1,
      heldAt: now,
      nextAttemptAt: now + (kind === "gap" ? GAP_RETRY_MS : backoff(1)),
      parkAt: kind === "gap" ? now + gapWaitMs : Number.MAX_SAFE_INTEGER,
    });
    o.heldChanged = true;
    o.failures.push({ partition: item.d.partition, offset: item.d.offset, kind, attempt: 1, error: reason(err) });
  };

  /**
   * One batch in one transaction, in segments of SEGMENT events, each under one savepoint (a savepoint per
   * event costs a fifth of the rate). An event whose effects fail aborts only its segment: the segment is
   * rolled back and done again with a savepoint per event, that event handed to the waiting room or the
   * dead letters without another attempt. So a failing event costs the redo of at most a segment, not of
   * the batch (on Kafka a batch is 500 events, a tenth of a poisoned run's time: ADR 0019).
   */
  const applyBatch = async (tx: SqlDatabase, items: Item[], now: number): Promise<Outcome> => {
    const o = newOutcome();
    const counters = new CounterDeltas();
    const heldHere = new Set<string>(); // patients held by this batch so far
    for (let start = 0; start < items.length; start += SEGMENT) {
      const segment = items.slice(start, start + SEGMENT);
      const mark = { applied: o.applied.length, parked: o.parked.length, failures: o.failures.length, duplicates: o.duplicates, heldChanged: o.heldChanged };
      const heldBefore = new Set(heldHere);
      const segmentCounters = new CounterDeltas();
      await tx.execute(`SAVEPOINT "projector_segment"`);
      try {
        for (const [i, item] of segment.entries()) await applyItem(tx, segmentCounters, o, heldHere, item, start + i, null, now);
        await tx.execute(`RELEASE SAVEPOINT "projector_segment"`);
      } catch (err) {
        if (!(err instanceof EffectFailed)) throw err; // the database itself: the bus redelivers the batch
        await tx.execute(`ROLLBACK TO SAVEPOINT "projector_segment"`);
        await tx.execute(`RELEASE SAVEPOINT "projector_segment"`);
        // The segment's work is undone: what it added to the outcome goes too, then it is done event by event.
        Object.assign(o, { duplicates: mark.duplicates, heldChanged: mark.heldChanged });
        o.applied.length = mark.applied;
        o.parked.length = mark.parked;
        o.failures.length = mark.failures;
        heldHere.clear();
        for (const k of heldBefore) heldHere.add(k);
        const isolated = new CounterDeltas();
        for (const [i, item] of segment.entries())
          await applyItem(tx, isolated, o, heldHere, item, start + i, start + i === err.index ? err.cause : undefined, now);
        counters.merge(isolated);
        continue;
      }
      counters.merge(segmentCounters);
    }
    for (const p of o.parked) await parkInTransaction(tx, p, new Date(now).toISOString());
    await counters.flush(tx);
    await recordPositions(
      tx,
      group,
      items.map((i) => i.d),
    );
    return o;
  };

  /**
   * One event of a batch: parked if unreadable, held behind an earlier held event of its patient, or
   * applied. `failure` null: the fast path, an effect failure thrown as EffectFailed; otherwise the event is
   * isolated (a savepoint of its own), and `failure`, when given, is the error it already failed with.
   */
  const applyItem = async (
    tx: SqlDatabase,
    counters: CounterDeltas,
    o: Outcome,
    heldHere: Set<string>,
    item: Item,
    index: number,
    failure: unknown,
    now: number,
  ): Promise<void> => {
    const { d, envelope } = item;
    if (!envelope) {
      park(
        o,
        { eventId: `raw:${d.topic}:${d.partition}:${d.offset}`, type: "(unreadable)", key: d.key, value: d.value, from: d },
        "poison",
        `poison: ${reason(item.error)}`,
        1,
      );
      return;
    }
    if (blocked.has(d.key) || heldHere.has(d.key)) {
      // Behind an earlier event of the same patient that is waiting for a retry: in log order, later.
      await holdInTransaction(tx, {
        eventId: envelope.eventId,
        key: d.key,
        partition: d.partition,
        offset: d.offset,
        type: envelope.type,
        value: d.value,
        kind: "behind",
        reason: "waiting behind an earlier event of the same patient",
        attempts: 0,
        heldAt: now,
        nextAttemptAt: now,
        parkAt: Number.MAX_SAFE_INTEGER,
      });
      o.heldChanged = true;
      return;
    }
    let err: unknown = failure ?? (failing(d.partition, d.offset) ? injected() : undefined);
    if (err === undefined && failure === null) {
      try {
        if (await applyEventInTransaction(tx, envelope, counters)) o.applied.push(envelope);
        else o.duplicates++;
      } catch (effectErr) {
        throw new EffectFailed(index, effectErr);
      }
      return;
    }
    if (err === undefined) {
      const result = await tryApply(tx, counters, envelope, d.partition, d.offset);
      if (result.ok) {
        if (result.first) o.applied.push(envelope);
        else o.duplicates++;
        return;
      }
      err = result.err;
    }
    await firstFailure(tx, o, item, envelope, err, now);
    if (failureKind(err) === "transient") heldHere.add(d.key);
  };

  const handleBatch = (delivered: Delivery[]) =>
    exclusive(async () => {
      const delayMs = options.fault?.()?.delayMs ?? 0;
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      const until = options.until;
      const batch = until ? delivered.filter((d) => d.offset < (until[d.partition] ?? 0)) : delivered;
      if (batch.length === 0) return;
      const items: Item[] = batch.map((d) => {
        try {
          return { d, envelope: checkEnvelope(JSON.parse(d.value)), error: null };
        } catch (error) {
          return { d, envelope: null, error };
        }
      });
      const now = Date.now();
      const outcome = await db.transaction((tx) => applyBatch(tx, items, now));
      await settle(outcome, new Date(now).toISOString());
    });

  /** One pass over the waiting room: every patient's held events in log order, those that are due. */
  const drainHeld = () =>
    exclusive(async () => {
      if (stats.held === 0) return;
      const now = Date.now();
      const groups = await readHeldByKey(db);
      if (!groups.some((g) => g.some((h) => h.kind === "behind" || h.nextAttemptAt <= now || h.parkAt <= now))) return;
      const o = newOutcome();
      await db.transaction(async (tx) => {
        const counters = new CounterDeltas();
        for (const group of groups) await drainKey(tx, counters, o, group, now);
        for (const p of o.parked) await parkInTransaction(tx, p, new Date(now).toISOString());
        await counters.flush(tx);
      });
      await settle(o, new Date(now).toISOString());
    });

  const drainKey = async (tx: SqlDatabase, counters: CounterDeltas, o: Outcome, group: HeldEvent[], now: number) => {
    let waitingBehind = false; // a transient failure earlier in this patient's events: the rest wait behind it
    for (const h of group) {
      if (waitingBehind) continue;
      const due = h.kind === "behind" || h.nextAttemptAt <= now || h.parkAt <= now;
      if (!due) {
        if (h.kind === "transient") waitingBehind = true;
        continue;
      }
      const letter = { eventId: h.eventId, type: h.type, key: h.key, value: h.value, from: { topic: DOMAIN_TOPIC, partition: h.partition, offset: h.offset } };
      const envelope = checkEnvelope(JSON.parse(h.value)); // it was read once already
      const result = await tryApply(tx, counters, envelope, h.partition, h.offset);
      o.heldChanged = true;
      if (result.ok) {
        await releaseHeld(tx, h.eventId);
        if (result.first) o.applied.push(envelope);
        else o.duplicates++;
        continue;
      }
      const kind = failureKind(result.err);
      const attempts = h.attempts + 1;
      if (kind === "poison") {
        await releaseHeld(tx, h.eventId);
        park(o, letter, "poison", `poison: ${reason(result.err)}`, attempts);
      } else if (kind === "gap") {
        const parkAt = h.kind === "gap" ? h.parkAt : now + gapWaitMs;
        if (now >= parkAt) {
          await releaseHeld(tx, h.eventId);
          park(o, letter, "gap", gapReason(result.err, now - (h.kind === "gap" ? h.heldAt : now)), attempts);
        } else {
          await updateHeld(tx, { ...h, kind: "gap", reason: reason(result.err), attempts, nextAttemptAt: now + GAP_RETRY_MS, parkAt });
          if (h.kind !== "gap") o.failures.push({ partition: h.partition, offset: h.offset, kind, attempt: attempts, error: reason(result.err) });
        }
      } else if (attempts >= maxAttempts) {
        await releaseHeld(tx, h.eventId);
        park(o, letter, "transient", `failed ${attempts} times: ${reason(result.err)}`, attempts);
      } else {
        await updateHeld(tx, {
          ...h,
          kind: "transient",
          reason: reason(result.err),
          attempts,
          nextAttemptAt: now + backoff(attempts),
          parkAt: Number.MAX_SAFE_INTEGER,
        });
        o.failures.push({ partition: h.partition, offset: h.offset, kind, attempt: attempts, error: reason(result.err) });
        waitingBehind = true;
      }
    }
  };

  const drainTimer = setInterval(() => void drainHeld().catch(() => undefined), options.drainEveryMs ?? 100);
  drainTimer.unref();

  // A first dead letter must not wait for (or share the broker with) the creation of its topic.
  await bus.ensureTopic(DEAD_LETTER_TOPIC);
  const subscription: Subscription = await bus.subscribe({ group, topic: DOMAIN_TOPIC, fromBeginning: true, maxBatch: options.maxBatch ?? 500 }, (batch) =>
    // One consumer span per batch, linked to the traces of the requests whose events it applies.
    inEventBatchSpan(
      {
        operation: "process",
        system: bus.kind,
        topic: DOMAIN_TOPIC,
        traceparents: batch.map((d) => d.headers.traceparent),
        attributes: { "messaging.consumer.group.name": group },
      },
      () => handleBatch(batch),
    ),
  );
  return {
    stats,
    async stop() {
      clearInterval(drainTimer);
      await subscription.stop();
      await turn;
      await Promise.all(telling);
    },
  };

  function gapReason(err: unknown, waitedMs: number): string {
    const waited = waitedMs > 0 ? `; waited ${(waitedMs / 1000).toFixed(1)} s for it` : "";
    return `ordering gap: ${reason(err)}${waited}. Redrive it once the event before it is projected, or replay the log`;
  }
}

/** Where the group's applied events end now, per partition, in the transaction that applied them. */
async function recordPositions(tx: SqlDatabase, group: string, batch: readonly Delivery[]): Promise<void> {
  const next = new Map<number, number>();
  for (const d of batch) next.set(d.partition, Math.max(next.get(d.partition) ?? 0, d.offset + 1));
  for (const [partition, offset] of next) {
    await tx.execute(
      `INSERT INTO "projected_positions" ("group_id", "partition", "next_offset") VALUES (?, ?, ?) ON CONFLICT ("group_id", "partition") DO UPDATE SET "next_offset" = excluded."next_offset"`,
      [group, partition, offset],
    );
  }
}

/** A number in [0, 1) from a string (FNV-1a), the same for the same string. */
function unitHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 4294967296;
}
