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

async function census(tx: SqlDatabase, facilityId: string, change: { patients?: number; open?: number; total?: number }) {
  await tx.execute(CENSUS, [facilityId, change.patients ?? 0, change.open ?? 0, change.total ?? 0]);
}
async function daily(tx: SqlDatabase, e: EventEnvelope, metric: string, value = 1) {
  await tx.execute(DAILY, [e.occurredAt.slice(0, 10), metric, value]);
}

async function moveClaim(tx: SqlDatabase, p: Payload) {
  const claimId = str(p, "claimId");
  const [state] = await tx.query<{ facility_id: string; status: string; total_cents: number }>(`SELECT "facility_id", "status", "total_cents" FROM "claim_states" WHERE "claim_id" = ?`, [claimId]);
  if (!state) throw new OrderingGap(`claim ${claimId} changed state before its ClaimCreated was projected`, "payload.claimId");
  const status = str(p, "status");
  await tx.execute(PIPELINE, [state.facility_id, state.status, -1, -Number(state.total_cents)]);
  await tx.execute(PIPELINE, [state.facility_id, status, 1, Number(state.total_cents)]);
  await tx.execute(`UPDATE "claim_states" SET "status" = ? WHERE "claim_id" = ?`, [status, claimId]);
}

const EFFECTS: Record<string, (tx: SqlDatabase, e: EventEnvelope, p: Payload) => Promise<void>> = {
  async PatientRegistered(tx, e, p) {
    await census(tx, str(p, "facilityId"), { patients: 1 });
    await daily(tx, e, "patients_registered");
  },
  async PatientDemographicsChanged() {},
  async EncounterOpened(tx, e, p) {
    await tx.execute(`INSERT INTO "open_encounters" ("encounter_id", "facility_id", "patient_id", "started_at") VALUES (?, ?, ?, ?)`, [str(p, "encounterId"), str(p, "facilityId"), str(p, "patientId"), str(p, "startedAt")]);
    await census(tx, str(p, "facilityId"), { open: 1, total: 1 });
    await daily(tx, e, "encounters_opened");
  },
  async EncounterClosed(tx, e, p) {
    const closed = await tx.execute(`DELETE FROM "open_encounters" WHERE "encounter_id" = ?`, [str(p, "encounterId")]);
    if (closed > 0) await census(tx, str(p, "facilityId"), { open: -1 });
    await daily(tx, e, "encounters_closed");
  },
  async DiagnosisRecorded(tx, e) {
    await daily(tx, e, "diagnoses_recorded");
  },
  async ProcedureRecorded(tx, e) {
    await daily(tx, e, "procedures_recorded");
  },
  async MedicationPrescribed(tx, e) {
    await daily(tx, e, "medications_prescribed");
  },
  async MedicationDiscontinued(tx, e) {
    await daily(tx, e, "medications_discontinued");
  },
  async ClaimCreated(tx, e, p) {
    await tx.execute(`INSERT INTO "claim_states" ("claim_id", "facility_id", "status", "total_cents") VALUES (?, ?, 'draft', ?)`, [str(p, "claimId"), str(p, "facilityId"), num(p, "totalCents")]);
    await tx.execute(PIPELINE, [str(p, "facilityId"), "draft", 1, num(p, "totalCents")]);
    await daily(tx, e, "claims_created");
  },
  async ClaimSubmitted(tx, e, p) {
    await moveClaim(tx, p);
    await daily(tx, e, "claims_submitted");
  },
  async ClaimAdjudicated(tx, e, p) {
    await moveClaim(tx, p);
    await daily(tx, e, "claims_adjudicated");
  },
  async ClaimPaid(tx, e, p) {
    await moveClaim(tx, p);
    await daily(tx, e, "claims_paid");
    await daily(tx, e, "claims_paid_cents", num(p, "paidCents"));
  },
  async ClaimDenied(tx, e, p) {
    await moveClaim(tx, p);
    await daily(tx, e, "claims_denied");
  },
};

/** What an event does to the read models: itself, or for a snapshot each catalog event it stands for. */
function effectsOf(e: EventEnvelope): { timelineId: string; envelope: EventEnvelope }[] {
  if (e.type !== PATIENT_SNAPSHOT) return [{ timelineId: e.eventId, envelope: e }];
  return snapshotFacts(e.payload).map((fact, i) => ({ timelineId: `${e.eventId}:${i}`, envelope: { ...e, type: fact.type, occurredAt: fact.occurredAt, payload: fact.payload } }));
}

/** Applies one event inside an open read-model transaction: false when its id was already applied. */
export async function applyEventInTransaction(tx: SqlDatabase, e: EventEnvelope): Promise<boolean> {
  const parts = effectsOf(e);
  for (const { envelope } of parts) if (!EFFECTS[envelope.type]) throw new LabError("invalid", `the projector has no projection for ${envelope.type}`, { field: "type" });
  // The event's id is its claim to being applied: a redelivered one changes nothing.
  const claimed = await tx.execute(`INSERT INTO "processed_events" ("event_id", "type", "occurred_at") VALUES (?, ?, ?) ON CONFLICT ("event_id") DO NOTHING`, [e.eventId, e.type, e.occurredAt]);
  if (claimed === 0) return false;
  const patientId = typeof e.payload.patientId === "string" ? e.payload.patientId : e.partitionKey;
  for (const { timelineId, envelope } of parts) {
    await tx.execute(`INSERT INTO "patient_timeline" ("event_id", "patient_id", "occurred_at", "type", "facts") VALUES (?, ?, ?, ?, ?)`, [timelineId, patientId, envelope.occurredAt, envelope.type, JSON.stringify(envelope.payload)]);
    await EFFECTS[envelope.type]!(tx, envelope, envelope.payload);
  }
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
    const applied: boolean[] = [];
    for (const e of events) applied.push(await applyEventInTransaction(tx, e));
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
 * positions), read in one snapshot: a replay up to those positions must give the same checksums.
 */
export async function readModelsAtPosition(db: SqlDatabase, group: string): Promise<{ positions: Record<number, number>; checksums: Record<string, string> }> {
  return db.snapshot(async (tx) => {
    const rows = await tx.query<{ partition: number; next_offset: number }>(`SELECT "partition", "next_offset" FROM "projected_positions" WHERE "group_id" = ?`, [group]);
    return { positions: Object.fromEntries(rows.map((r) => [Number(r.partition), Number(r.next_offset)])), checksums: await readModelChecksums(tx) };
  });
}

/** A checksum per read model over its rows in key order: two builds from the same events agree. */
export async function readModelChecksums(db: SqlDatabase): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [table, key] of Object.entries(MODEL_TABLES)) {
    const rows = await db.query(`SELECT * FROM "${table}" ORDER BY ${key}`);
    const hash = createHash("sha256");
    for (const row of rows) hash.update(JSON.stringify(Object.values(row).map((v) => (typeof v === "number" || typeof v === "bigint" ? Number(v) : v)))).update("\n");
    out[table] = `${rows.length}:${hash.digest("hex").slice(0, 16)}`;
  }
  return out;
}
