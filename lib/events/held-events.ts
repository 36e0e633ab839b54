// The projector's waiting room (ADR 0019), stored beside the read models so that holding an event commits
// with the batch that held it. Rows are read back in log order per patient (partition key): a patient's
// events are always tried in the order the log gave them.
import type { SqlDatabase } from "../data/sql-database.ts";

/** gap: waits for an event before it; transient: waits for its next attempt; behind: waits behind a transient one of the same patient. */
export type HeldKind = "gap" | "transient" | "behind";

export interface HeldEvent {
  eventId: string;
  key: string;
  partition: number;
  offset: number;
  type: string;
  value: string;
  kind: HeldKind;
  reason: string;
  attempts: number;
  heldAt: number;
  nextAttemptAt: number;
  /** Still failing at this time (ms since the epoch): parked as a dead letter. */
  parkAt: number;
}

const COLUMNS = `"event_id", "partition_key", "partition", "offset", "type", "value", "kind", "reason", "attempts", "held_at", "next_attempt_at", "park_at"`;

/** Holds an event; one already held (a redelivered batch) stays as it is. */
export async function holdInTransaction(tx: SqlDatabase, h: HeldEvent): Promise<void> {
  await tx.execute(`INSERT INTO "held_events" (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT ("event_id") DO NOTHING`, [
    h.eventId,
    h.key,
    h.partition,
    h.offset,
    h.type,
    h.value,
    h.kind,
    h.reason.slice(0, 2000),
    h.attempts,
    h.heldAt,
    h.nextAttemptAt,
    h.parkAt,
  ]);
}

export async function updateHeld(tx: SqlDatabase, h: HeldEvent): Promise<void> {
  await tx.execute(`UPDATE "held_events" SET "kind" = ?, "reason" = ?, "attempts" = ?, "next_attempt_at" = ?, "park_at" = ? WHERE "event_id" = ?`, [
    h.kind,
    h.reason.slice(0, 2000),
    h.attempts,
    h.nextAttemptAt,
    h.parkAt,
    h.eventId,
  ]);
}

export async function releaseHeld(tx: SqlDatabase, eventId: string): Promise<void> {
  await tx.execute(`DELETE FROM "held_events" WHERE "event_id" = ?`, [eventId]);
}

type HeldRow = Record<string, unknown>;
const heldOf = (r: HeldRow): HeldEvent => ({
  eventId: String(r.event_id),
  key: String(r.partition_key),
  partition: Number(r.partition),
  offset: Number(r.offset),
  type: String(r.type),
  value: String(r.value),
  kind: String(r.kind) as HeldKind,
  reason: String(r.reason),
  attempts: Number(r.attempts),
  heldAt: Number(r.held_at),
  nextAttemptAt: Number(r.next_attempt_at),
  parkAt: Number(r.park_at),
});

/** Held events grouped by patient, each group in log order; at most `limit` rows (the oldest patients first). */
export async function readHeldByKey(db: SqlDatabase, limit = 5000): Promise<HeldEvent[][]> {
  const rows = (await db.query(`SELECT ${COLUMNS} FROM "held_events" ORDER BY "partition_key", "partition", "offset" LIMIT ?`, [limit])).map(heldOf);
  const groups = new Map<string, HeldEvent[]>();
  for (const h of rows) groups.set(h.key, [...(groups.get(h.key) ?? []), h]);
  return [...groups.values()];
}

export async function countHeld(db: SqlDatabase): Promise<number> {
  const [row] = await db.query<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "held_events"`);
  return Number(row?.n ?? 0);
}
