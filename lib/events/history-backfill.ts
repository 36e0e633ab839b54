// The one-time backfill of a lab seeded before seeding was history (ADR 0018). Its seeded records never
// went through the outbox, so the read models lack them and every later event about them is an orphan.
// The backfill writes a PatientRecordSnapshot of every patient's record as it stands, shard by shard, in
// batches, each with its rows read in the same transaction; then it starts the event history over from
// those snapshots: the log's older messages (all described by the snapshots) are deleted, the read models
// emptied and the projector set to read from there, so the live models and a replay from the beginning
// both rebuild the lab as it is. Idempotent and resumable: a patient whose snapshot is in the outbox is
// skipped, a shard that is done says so in lab_meta, and the control database remembers where the log
// stood when the backfill began.
import { EVENT_HISTORY_META, EVENT_HISTORY_SNAPSHOTS, type LabDatabases, readMeta } from "../data/lab-databases.ts";
import type { SqlDatabase } from "../data/sql-database.ts";
import { selectList } from "../data/tables.ts";
import { DOMAIN_TOPIC, type EventBus } from "./bus.ts";
import { OUTBOX_INSERT_COLUMNS, outboxRowOf } from "./outbox.ts";
import { PATIENT_SNAPSHOT, type PatientRecordRows, patientSnapshotEvent } from "./patient-snapshot.ts";
import { PROJECTOR_GROUP } from "./projector.ts";
import { MODEL_TABLES } from "./projections.ts";

/** Where the log stood when the backfill began (control lab_meta): everything before it is superseded. */
const BACKFILL_META = "event_history_backfill";

export interface BackfillProgress {
  done: number;
  total: number;
  written: number;
}

export interface BackfillReport extends BackfillProgress {
  shards: number[];
  deletedLogMessages: number;
  seconds: number;
}

/** The shards whose patients have no history in the event stream yet (empty when the lab needs no backfill). */
export async function shardsNeedingBackfill(lab: LabDatabases): Promise<number[]> {
  const out: number[] = [];
  for (const shard of lab.shards) {
    if ((await readMeta(shard.sql)).get(EVENT_HISTORY_META) === EVENT_HISTORY_SNAPSHOTS) continue;
    if ((await shard.sql.query(`SELECT 1 AS "one" FROM "patients" LIMIT 1`)).length === 0) {
      await markShardDone(shard.sql); // nothing on it to describe
      continue;
    }
    out.push(shard.index);
  }
  return out;
}

/** Whether the lab needs (or has not finished) the backfill: a shard without history, or a cut not yet made. */
export async function backfillPending(lab: LabDatabases): Promise<boolean> {
  return (await shardsNeedingBackfill(lab)).length > 0 || (await readMeta(lab.control.sql)).has(BACKFILL_META);
}

const markShardDone = (db: SqlDatabase) =>
  db.transaction((tx) =>
    tx.execute(`INSERT INTO "lab_meta" ("key", "value") VALUES (?, ?) ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value"`, [
      EVENT_HISTORY_META,
      EVENT_HISTORY_SNAPSHOTS,
    ]),
  );

/** Patients of a shard without a snapshot in its outbox, in id order after `after`. */
async function patientsWithoutSnapshot(db: SqlDatabase, after: string, limit: number): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `SELECT "id" FROM "patients" WHERE "id" > ? AND "id" NOT IN (SELECT "aggregateId" FROM "outbox_events" WHERE "eventType" = ?) ORDER BY "id" LIMIT ?`,
    [after, PATIENT_SNAPSHOT, limit],
  );
  return rows.map((r) => r.id);
}

async function countWithoutSnapshot(db: SqlDatabase): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    `SELECT COUNT(*) AS "n" FROM "patients" WHERE "id" NOT IN (SELECT "aggregateId" FROM "outbox_events" WHERE "eventType" = ?)`,
    [PATIENT_SNAPSHOT],
  );
  return Number(row?.n ?? 0);
}

/** The records of these patients, read inside the transaction that writes their snapshots. */
async function recordsOf(tx: SqlDatabase, ids: readonly string[]): Promise<PatientRecordRows[]> {
  const list = ids.map(() => "?").join(", ");
  const rowsOf = async (model: "Encounter" | "Diagnosis" | "Procedure" | "Medication" | "Claim", table: string) => {
    const byPatient = new Map<string, Record<string, unknown>[]>();
    for (const r of await tx.query(`SELECT ${selectList(model)} FROM "${table}" WHERE "patientId" IN (${list}) ORDER BY "id"`, ids))
      byPatient.set(String(r.patientId), [...(byPatient.get(String(r.patientId)) ?? []), r]);
    return byPatient;
  };
  const patients = await tx.query(`SELECT ${selectList("Patient")} FROM "patients" WHERE "id" IN (${list}) ORDER BY "id"`, ids);
  const [encounters, diagnoses, procedures, medications, claims] = [
    await rowsOf("Encounter", "encounters"),
    await rowsOf("Diagnosis", "diagnoses"),
    await rowsOf("Procedure", "procedures"),
    await rowsOf("Medication", "medications"),
    await rowsOf("Claim", "claims"),
  ];
  const of = (m: Map<string, Record<string, unknown>[]>, id: string) => m.get(id) ?? [];
  return patients.map((patient) => {
    const id = String(patient.id);
    return {
      patient,
      encounters: of(encounters, id),
      diagnoses: of(diagnoses, id),
      procedures: of(procedures, id),
      medications: of(medications, id),
      claims: of(claims, id),
    };
  });
}

export async function backfillEventHistory(
  lab: LabDatabases,
  bus: EventBus,
  readModels: SqlDatabase,
  options: { batchSize?: number; onProgress?: (p: BackfillProgress) => void; now?: () => Date } = {},
): Promise<BackfillReport> {
  const started = performance.now();
  const now = options.now ?? (() => new Date());
  const batchSize = options.batchSize ?? 1_000;
  const shards = await shardsNeedingBackfill(lab);
  const cut = await logCut(lab.control.sql, bus, shards.length > 0);
  const progress: BackfillProgress = { done: 0, total: 0, written: 0 };
  for (const index of shards) progress.total += await countWithoutSnapshot(lab.shards[index]!.sql);
  options.onProgress?.({ ...progress });

  for (const index of shards) {
    const shard = lab.shards[index]!;
    // Events about these records still in the outbox are part of the snapshots: never publish them now.
    await shard.sql.transaction((tx) =>
      tx.execute(`UPDATE "outbox_events" SET "publishedAt" = ? WHERE "publishedAt" IS NULL AND "eventType" <> ?`, [now(), PATIENT_SNAPSHOT]),
    );
    for (let after = ""; ;) {
      const ids = await patientsWithoutSnapshot(shard.sql, after, batchSize);
      if (ids.length === 0) break;
      after = ids.at(-1)!;
      await shard.sql.transaction(async (tx) => {
        const at = now();
        const headers = { requestId: "lab-backfill", traceparent: null, actorId: "lab-backfill", shard: index };
        const rows = (await recordsOf(tx, ids)).map((record) => outboxRowOf(patientSnapshotEvent(record, at), headers, at));
        await tx.insertMany(
          "outbox_events",
          OUTBOX_INSERT_COLUMNS,
          rows.map((r) => OUTBOX_INSERT_COLUMNS.map((c) => r[c])),
        );
      });
      progress.done += ids.length;
      progress.written += ids.length;
      options.onProgress?.({ ...progress });
    }
    await markShardDone(shard.sql);
  }

  let deletedLogMessages = 0;
  if (cut) {
    // The history starts over at the snapshots: what the log held before them, the read models built from
    // it and the dead letters it left (orphans of the missing baseline) go; the projector reads from the cut.
    const ends = await bus.ends(DOMAIN_TOPIC);
    deletedLogMessages = Object.entries(cut).reduce((sum, [p, offset]) => sum + Math.min(offset, ends[Number(p)] ?? 0), 0);
    await bus.deleteBefore(DOMAIN_TOPIC, cut);
    await bus.seek(PROJECTOR_GROUP, DOMAIN_TOPIC, { offsets: cut });
    await readModels.transaction(async (tx) => {
      for (const table of [...Object.keys(MODEL_TABLES), "dead_letters", "held_events"]) await tx.execute(`DELETE FROM "${table}"`);
    });
    await lab.control.sql.transaction((tx) => tx.execute(`DELETE FROM "lab_meta" WHERE "key" = ?`, [BACKFILL_META]));
  }
  return { ...progress, shards, deletedLogMessages, seconds: (performance.now() - started) / 1000 };
}

/**
 * The log's end as the backfill found it, recorded once: a resumed backfill cuts at the same place, so
 * snapshots a lab published meanwhile (started without finishing the backfill) are never cut away.
 */
async function logCut(control: SqlDatabase, bus: EventBus, starting: boolean): Promise<Record<number, number> | null> {
  const recorded = (await readMeta(control)).get(BACKFILL_META);
  if (recorded) return JSON.parse(recorded) as Record<number, number>;
  if (!starting) return null;
  const ends = await bus.ends(DOMAIN_TOPIC);
  await control.transaction((tx) => tx.execute(`INSERT INTO "lab_meta" ("key", "value") VALUES (?, ?)`, [BACKFILL_META, JSON.stringify(ends)]));
  return ends;
}
