// How each event changes the dashboards' read models: patient timeline, facility census, claims pipeline by
// status and daily analytics. Applying an event is one transaction that also records its id, so an event
// delivered twice changes the models once.
import { createHash } from "node:crypto";
import { join } from "node:path";
import { migrate, readMigrations } from "../data/migrations.ts";
import type { SqlDatabase } from "../data/sql-database.ts";
import { LabError } from "../errors/index.ts";
import type { EventEnvelope } from "./envelope.ts";
import { PATIENT_SNAPSHOT, snapshotFacts } from "./patient-snapshot.ts";

export async function migrateReadModels(db: SqlDatabase): Promise<void> {
  await migrate(db, readMigrations(join(import.meta.dirname, "read-model-migrations")));
}

/**
 * A read-model connection made ready: migrated, and on SQLite without a sync per commit. Read models are
 * derived from the log and rebuilt by replay; SQLite keeps committed data across a process crash either
 * way, and only an OS crash could cost the last commits, which `npm run lab:replay` restores.
 */
export async function prepareReadModels(db: SqlDatabase): Promise<void> {
  await migrateReadModels(db);
  if (db.dialect === "sqlite") await db.executeScript("PRAGMA synchronous = OFF");
}

const upsertAdd = (table: string, keys: string[], counters: string[]) =>
  `INSERT INTO "${table}" (${[...keys, ...counters].map((c) => `"${c}"`).join(", ")}) VALUES (${[...keys, ...counters].map(() => "?").join(", ")}) ` +
  `ON CONFLICT (${keys.map((c) => `"${c}"`).join(", ")}) DO UPDATE SET ${counters.map((c) => `"${c}" = "${table}"."${c}" + excluded."${c}"`).join(", ")}`;

const CENSUS = upsertAdd("facility_census", ["facility_id"], ["patients", "open_encounters", "encounters_total"]);
const PIPELINE = upsertAdd("claims_pipeline", ["facility_id", "status"], ["claims", "total_cents"]);
const DAILY = upsertAdd("daily_analytics", ["day", "metric"], ["value"]);

/**
 * An event that needs one before it (of the same patient) that has not been applied: its predecessor may
 * still come (an event relayed from another shard after a bucket move), so the projector waits a little.
 */
export class OrderingGap extends LabError {
  constructor(message: string, field: string) {
    super("conflict", message, { field });
  }
}

type Payload = Record<string, unknown>;
const str = (p: Payload, k: string) => {
  const v = p[k];
  if (typeof v !== "string") throw new LabError("invalid", `payload field ${k} is missing`, { field: `payload.${k}` });
  return v;
};
const num = (p: Payload, k: string) => (typeof p[k] === "number" ? (p[k] as number) : 0);

/**
 * The counters' changes of a batch (census, pipeline, daily analytics), summed per row and written once
 * per row when the batch ends: a replay of a day's events adds to a few thousand rows, not to one per event.
 * An event's own changes join the batch's only once the event has applied in full.
 */
export class CounterDeltas {
  /** Per upsert statement, per row key: the summed changes. A row touched by no net change is still written, as one event at a time would. */
  private readonly rows = new Map<string, Map<string, { keys: unknown[]; values: number[] }>>();

  add(sql: string, keys: unknown[], values: number[]): void {
    const bySql = this.rows.get(sql) ?? this.rows.set(sql, new Map()).get(sql)!;
    const id = JSON.stringify(keys);
    const row = bySql.get(id);
    if (!row) bySql.set(id, { keys, values: [...values] });
    else values.forEach((v, i) => (row.values[i]! += v));
  }

  merge(other: CounterDeltas): void {
    for (const [sql, bySql] of other.rows) for (const r of bySql.values()) this.add(sql, r.keys, r.values);
  }

  async flush(tx: SqlDatabase): Promise<void> {
    for (const [sql, bySql] of this.rows) for (const r of bySql.values()) await tx.execute(sql, [...r.keys, ...r.values]);
    this.rows.clear();
  }
}

/** What an effect writes through: the transaction, and the batch's counters. */
interface ProjectionTx {
  sql: SqlDatabase;
  counters: CounterDeltas;
}

function census(x: ProjectionTx, facilityId: string, change: { patients?: number; open?: number; total?: number }) {
  x.counters.add(CENSUS, [facilityId], [change.patients ?? 0, change.open ?? 0, change.total ?? 0]);
}
function daily(x: ProjectionTx, e: EventEnvelope, metric: string, value = 1) {
  x.counters.add(DAILY, [e.occurredAt.slice(0, 10), metric], [value]);
}

async function moveClaim(x: ProjectionTx, p: Payload) {
  const tx = x.sql;
  const claimId = str(p, "claimId");
  const [state] = await tx.query<{ facility_id: string; status: string; total_cents: number }>(
    `SELECT "facility_id", "status", "total_cents" FROM "claim_states" WHERE "claim_id" = ?`,
    [claimId],
  );
  if (!state) throw new OrderingGap(`claim ${claimId} changed state before its ClaimCreated was projected`, "payload.claimId");
  const status = str(p, "status");
  x.counters.add(PIPELINE, [state.facility_id, state.status], [-1, -Number(state.total_cents)]);
  x.counters.add(PIPELINE, [state.facility_id, status], [1, Number(state.total_cents)]);
  await tx.execute(`UPDATE "claim_states" SET "status" = ? WHERE "claim_id" = ?`, [status, claimId]);
}

const EFFECTS: Record<string, (x: ProjectionTx, e: EventEnvelope, p: Payload) => Promise<void>> = {
  async PatientRegistered(x, e, p) {
    census(x, str(p, "facilityId"), { patients: 1 });
    daily(x, e, "patients_registered");
  },
  async PatientDemographicsChanged() {},
  async EncounterOpened(x, e, p) {
    await x.sql.execute(`INSERT INTO "open_encounters" ("encounter_id", "facility_id", "patient_id", "started_at") VALUES (?, ?, ?, ?)`, [
      str(p, "encounterId"),
      str(p, "facilityId"),
      str(p, "patientId"),
      str(p, "startedAt"),
    ]);
    census(x, str(p, "facilityId"), { open: 1, total: 1 });
    daily(x, e, "encounters_opened");
  },
  async EncounterClosed(x, e, p) {
    const closed = await x.sql.execute(`DELETE FROM "open_encounters" WHERE "encounter_id" = ?`, [str(p, "encounterId")]);
    if (closed > 0) census(x, str(p, "facilityId"), { open: -1 });
    daily(x, e, "encounters_closed");
  },
  async DiagnosisRecorded(x, e) {
    daily(x, e, "diagnoses_recorded");
  },
  async ProcedureRecorded(x, e) {
    daily(x, e, "procedures_recorded");
  },
  async MedicationPrescribed(x, e) {
    daily(x, e, "medications_prescribed");
  },
  async MedicationDiscontinued(x, e) {
    daily(x, e, "medications_discontinued");
  },
  async ClaimCreated(x, e, p) {
    await x.sql.execute(`INSERT INTO "claim_states" ("claim_id", "facility_id", "status", "total_cents") VALUES (?, ?, 'draft', ?)`, [
      str(p, "claimId"),
      str(p, "facilityId"),
      num(p, "totalCents"),
    ]);
    x.counters.add(PIPELINE, [str(p, "facilityId"), "draft"], [1, num(p, "totalCents")]);
    daily(x, e, "claims_created");
  },
  async ClaimSubmitted(x, e, p) {
    await moveClaim(x, p);
    daily(x, e, "claims_submitted");
  },
  async ClaimAdjudicated(x, e, p) {
    await moveClaim(x, p);
    daily(x, e, "claims_adjudicated");
  },
  async ClaimPaid(x, e, p) {
    await moveClaim(x, p);
    daily(x, e, "claims_paid");
    daily(x, e, "claims_paid_cents", num(p, "paidCents"));
  },
  async ClaimDenied(x, e, p) {
    await moveClaim(x, p);
    daily(x, e, "claims_denied");
  },
};

/** What an event does to the read models: itself, or for a snapshot each catalog event it stands for. */
function effectsOf(e: EventEnvelope): { timelineId: string; envelope: EventEnvelope }[] {
  if (e.type !== PATIENT_SNAPSHOT) return [{ timelineId: e.eventId, envelope: e }];
  return snapshotFacts(e.payload).map((fact, i) => ({
    timelineId: `${e.eventId}:${i}`,
    envelope: { ...e, type: fact.type, occurredAt: fact.occurredAt, payload: fact.payload },
  }));
}

/**
 * Applies one event inside an open read-model transaction: false when its id was already applied. Its
 * counter changes join `batch` (written when the batch flushes it), or are written now without one.
 */
export async function applyEventInTransaction(tx: SqlDatabase, e: EventEnvelope, batch?: CounterDeltas): Promise<boolean> {
  const parts = effectsOf(e);
  for (const { envelope } of parts)
    if (!EFFECTS[envelope.type]) throw new LabError("invalid", `the projector has no projection for ${envelope.type}`, { field: "type" });
  // The event's id is its claim to being applied: a redelivered one changes nothing.
  const claimed = await tx.execute(`INSERT INTO "processed_events" ("event_id", "type", "occurred_at") VALUES (?, ?, ?) ON CONFLICT ("event_id") DO NOTHING`, [
    e.eventId,
    e.type,
    e.occurredAt,
  ]);
  if (claimed === 0) return false;
  const patientId = typeof e.payload.patientId === "string" ? e.payload.patientId : e.partitionKey;
  const own = { sql: tx, counters: new CounterDeltas() };
  for (const { timelineId, envelope } of parts) {
    await tx.execute(`INSERT INTO "patient_timeline" ("event_id", "patient_id", "occurred_at", "type", "facts") VALUES (?, ?, ?, ?, ?)`, [
      timelineId,
      patientId,
      envelope.occurredAt,
      envelope.type,
      JSON.stringify(envelope.payload),
    ]);
    await EFFECTS[envelope.type]!(own, envelope, envelope.payload);
  }
  if (batch) batch.merge(own.counters);
  else await own.counters.flush(tx);
  return true;
}

/** Applies one event to the read models, once: false when its id was already applied. */
export async function applyEvent(db: SqlDatabase, e: EventEnvelope): Promise<boolean> {
  return db.transaction((tx) => applyEventInTransaction(tx, e));
}

/**
 * Applies events in order in one transaction (a commit per batch, not per event); all or none. Returns,
 * per event, whether it was applied (false: already applied before).
 */
export async function applyEvents(db: SqlDatabase, events: readonly EventEnvelope[]): Promise<boolean[]> {
  return db.transaction(async (tx) => {
    const counters = new CounterDeltas();
    const applied: boolean[] = [];
    for (const e of events) applied.push(await applyEventInTransaction(tx, e, counters));
    await counters.flush(tx);
    return applied;
  });
}

/** The read models' tables and their keys (the waiting room and the dead letters are not models). */
export const MODEL_TABLES: Record<string, string> = {
  processed_events: `"event_id"`,
  patient_timeline: `"event_id"`,
  facility_census: `"facility_id"`,
  open_encounters: `"encounter_id"`,
  claim_states: `"claim_id"`,
  claims_pipeline: `"facility_id", "status"`,
  daily_analytics: `"day", "metric"`,
};

/**
 * The read models' checksums and the place in the log they were built up to (the group's applied
 * positions), read in one snapshot: a replay up to those positions must give the same checksums. The
 * positions are told as soon as they are read (the checksums wait for `onPositions` to resolve), so a
 * replay can start from them while the snapshot stays open.
 */
export async function readModelsAtPosition(
  db: SqlDatabase,
  group: string,
  onPositions?: (positions: Record<number, number>) => void | Promise<void>,
): Promise<{ positions: Record<number, number>; checksums: Record<string, string> }> {
  return db.snapshot(async (tx) => {
    const rows = await tx.query<{ partition: number; next_offset: number }>(
      `SELECT "partition", "next_offset" FROM "projected_positions" WHERE "group_id" = ?`,
      [group],
    );
    const positions = Object.fromEntries(rows.map((r) => [Number(r.partition), Number(r.next_offset)]));
    await onPositions?.(positions);
    return { positions, checksums: await readModelChecksums(tx) };
  });
}

const CHECKSUM_PAGE = 20_000;

/**
 * A checksum per read model over its rows in key order: two builds from the same events agree, on SQLite and
 * PostgreSQL alike. Read in pages by key, so a day's timeline is never all in memory at once.
 */
export async function readModelChecksums(db: SqlDatabase): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [table, key] of Object.entries(MODEL_TABLES)) {
    const columns = key.split(", ").map((c) => c.replaceAll('"', ""));
    const after = `(${key}) > (${columns.map(() => "?").join(", ")})`;
    const hash = createHash("md5"); // a checksum, not a seal: the fastest digest will do
    let count = 0;
    for (let last: unknown[] | null = null; ;) {
      const rows: Record<string, unknown>[] = await db.query(
        `SELECT * FROM "${table}" ${last ? `WHERE ${after}` : ""} ORDER BY ${key} LIMIT ${CHECKSUM_PAGE}`,
        last ?? [],
      );
      let text = "";
      for (const row of rows) {
        for (const v of Object.values(row)) text += `${v === null ? "\u0000" : typeof v === "number" || typeof v === "bigint" ? Number(v) : String(v)}\u001f`;
        text += "\n";
      }
      hash.update(text);
      count += rows.length;
      if (rows.length < CHECKSUM_PAGE) break;
      const end = rows.at(-1)!;
      last = columns.map((c) => end[c]);
    }
    out[table] = `${count}:${hash.digest("hex").slice(0, 16)}`;
  }
  return out;
}

/**
 * A scratch read-model database for a replay, made fast rather than durable: it is compared and thrown
 * away. A large page cache, the rollback journal in memory, and no index the dashboards alone read.
 */
export async function prepareScratchReadModels(db: SqlDatabase): Promise<void> {
  await prepareReadModels(db);
  if (db.dialect !== "sqlite") return;
  // The timeline without its key while the replay appends to it (processed_events already makes each event
  // apply once); finishScratchReadModels builds the key in one sorted pass before the checksums read by it.
  await db.executeScript(`PRAGMA cache_size = -262144; PRAGMA journal_mode = MEMORY;
    DROP TABLE "patient_timeline";
    CREATE TABLE "patient_timeline" ("event_id" TEXT NOT NULL, "patient_id" TEXT NOT NULL, "occurred_at" TEXT NOT NULL, "type" TEXT NOT NULL, "facts" TEXT NOT NULL);`);
}

/** A replayed scratch database made ready to be compared: its timeline keyed again. */
export async function finishScratchReadModels(db: SqlDatabase): Promise<void> {
  if (db.dialect === "sqlite") await db.executeScript(`CREATE UNIQUE INDEX IF NOT EXISTS "patient_timeline_key" ON "patient_timeline" ("event_id")`);
}
