// The projector's dead letters: events parked for good, each with the kind of failure and a reason an SRE
// can act on. Parking happens inside the read-model transaction that decided it, so a dead letter and the
// events applied around it commit together; the dead-letter topic is told afterwards, for tools that watch
// the bus. An operator lists them and redrives one once its cause is fixed.
import type { SqlDatabase } from "../data/sql-database.ts";
import { LabError } from "../errors/index.ts";
import type { BusMessage, Delivery } from "./bus.ts";
import { checkEnvelope } from "./envelope.ts";
import { applyEvent } from "./projections.ts";

/** poison: can never be projected (not an event of the catalog, bad payload); gap: its predecessor never
 * came; transient: still failing after its retries (a drill's injected failures end here). */
export type FailureKind = "poison" | "gap" | "transient";

export interface DeadLetter {
  eventId: string;
  type: string;
  partitionKey: string;
  kind: FailureKind;
  error: string;
  attempts: number;
  failedAt: string;
  status: "dead" | "redriven";
}

export interface ParkedLetter {
  /** The event id, or the message's place in the log when it is not even an envelope. */
  eventId: string;
  type: string;
  key: string;
  value: string;
  kind: FailureKind;
  error: string;
  attempts: number;
  from: Pick<Delivery, "topic" | "partition" | "offset">;
}

export async function parkInTransaction(tx: SqlDatabase, letter: ParkedLetter, failedAt: string): Promise<void> {
  await tx.execute(
    `INSERT INTO "dead_letters" ("event_id", "type", "partition_key", "value", "error", "attempts", "failed_at", "status", "kind") VALUES (?, ?, ?, ?, ?, ?, ?, 'dead', ?)
     ON CONFLICT ("event_id") DO UPDATE SET "error" = excluded."error", "attempts" = excluded."attempts", "failed_at" = excluded."failed_at", "status" = 'dead', "kind" = excluded."kind"`,
    [letter.eventId, letter.type, letter.key, letter.value, letter.error.slice(0, 2000), letter.attempts, failedAt, letter.kind],
  );
}

/** The dead-letter topic's message of a parked letter. */
export function deadLetterMessage(letter: ParkedLetter, failedAt: string): BusMessage {
  return {
    key: letter.key,
    value: JSON.stringify({
      eventId: letter.eventId,
      kind: letter.kind,
      error: letter.error,
      attempts: letter.attempts,
      failedAt,
      from: letter.from,
      value: letter.value,
    }),
  };
}

type LetterRow = {
  event_id: string;
  type: string;
  partition_key: string;
  kind: FailureKind;
  error: string;
  attempts: number;
  failed_at: string;
  status: "dead" | "redriven";
};
const letterOf = (r: LetterRow): DeadLetter => ({
  eventId: r.event_id,
  type: r.type,
  partitionKey: r.partition_key,
  kind: r.kind,
  error: r.error,
  attempts: Number(r.attempts),
  failedAt: r.failed_at,
  status: r.status,
});

export async function listDeadLetters(db: SqlDatabase, status: "dead" | "redriven" | "all" = "dead"): Promise<DeadLetter[]> {
  const rows = await db.query<LetterRow>(
    `SELECT "event_id", "type", "partition_key", "kind", "error", "attempts", "failed_at", "status" FROM "dead_letters" ${status === "all" ? "" : `WHERE "status" = ?`} ORDER BY "failed_at", "event_id"`,
    status === "all" ? [] : [status],
  );
  return rows.map(letterOf);
}

export async function countDeadLetters(db: SqlDatabase): Promise<number> {
  const [row] = await db.query<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "dead_letters" WHERE "status" = 'dead'`);
  return Number(row?.n ?? 0);
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
    const error = (err instanceof Error ? err.message : String(err)).slice(0, 2000);
    await db.transaction((tx) =>
      tx.execute(`UPDATE "dead_letters" SET "error" = ?, "attempts" = "attempts" + 1, "failed_at" = ? WHERE "event_id" = ?`, [
        error,
        new Date().toISOString(),
        eventId,
      ]),
    );
  }
  const [after] = await db.query<LetterRow>(
    `SELECT "event_id", "type", "partition_key", "kind", "error", "attempts", "failed_at", "status" FROM "dead_letters" WHERE "event_id" = ?`,
    [eventId],
  );
  return letterOf(after!);
}
