// The read models' oracle: the same figures counted straight on the shards (the rows each shard owns,
// fenced bucket copies left out) and read from the read models, in one comparable shape. Tests hold the
// two equal after seeding, after traffic and after a replay.
import { fencedBuckets, ownedRowsCondition } from "../../lib/data/bucket-fences.ts";
import type { SqlDatabase } from "../../lib/data/sql-database.ts";

export interface LabCounts {
  /** Per facility: patients, open encounters, encounters ever. */
  census: { facilityId: string; patients: number; openEncounters: number; encountersTotal: number }[];
  openEncounterIds: string[];
  /** Per facility and status with any claims: how many and their total. */
  pipeline: { facilityId: string; status: string; claims: number; totalCents: number }[];
  /** What the patients' timelines hold, by the kind of record they tell of. */
  timeline: { patients: number; encounters: number; diagnoses: number; procedures: number; medications: number; claims: number };
}

const n = (v: unknown) => Number(v ?? 0);
const byKey =
  <T>(key: (t: T) => string) =>
  (a: T, b: T) =>
    key(a).localeCompare(key(b));

export async function shardCounts(shards: readonly { readSql: SqlDatabase }[]): Promise<LabCounts> {
  const census = new Map<string, LabCounts["census"][number]>();
  const of = (f: string) => census.get(f) ?? census.set(f, { facilityId: f, patients: 0, openEncounters: 0, encountersTotal: 0 }).get(f)!;
  const pipeline = new Map<string, LabCounts["pipeline"][number]>();
  const openEncounterIds: string[] = [];
  const timeline = { patients: 0, encounters: 0, diagnoses: 0, procedures: 0, medications: 0, claims: 0 };
  for (const { readSql } of shards) {
    const fenced = await fencedBuckets(readSql);
    const [patients, rows] = [ownedRowsCondition(fenced, "bucket"), ownedRowsCondition(fenced, "patientId")];
    for (const r of await readSql.query(
      `SELECT "facilityId" AS "f", COUNT(*) AS "n" FROM "patients" WHERE ${patients.sql} GROUP BY "facilityId"`,
      patients.args,
    )) {
      of(String(r.f)).patients += n(r.n);
      timeline.patients += n(r.n);
    }
    for (const r of await readSql.query(
      `SELECT "facilityId" AS "f", COUNT(*) AS "n", SUM(CASE WHEN "status" = 'open' THEN 1 ELSE 0 END) AS "open" FROM "encounters" WHERE ${rows.sql} GROUP BY "facilityId"`,
      rows.args,
    )) {
      of(String(r.f)).encountersTotal += n(r.n);
      of(String(r.f)).openEncounters += n(r.open);
      timeline.encounters += n(r.n);
    }
    for (const r of await readSql.query(`SELECT "id" FROM "encounters" WHERE ${rows.sql} AND "status" = 'open'`, rows.args))
      openEncounterIds.push(String(r.id));
    for (const r of await readSql.query(
      `SELECT "facilityId" AS "f", "status", COUNT(*) AS "n", SUM("totalCents") AS "cents" FROM "claims" WHERE ${rows.sql} GROUP BY "facilityId", "status"`,
      rows.args,
    )) {
      const key = `${String(r.f)} ${String(r.status)}`;
      const p = pipeline.get(key) ?? { facilityId: String(r.f), status: String(r.status), claims: 0, totalCents: 0 };
      p.claims += n(r.n);
      p.totalCents += n(r.cents);
      pipeline.set(key, p);
      timeline.claims += n(r.n);
    }
    for (const table of ["diagnoses", "procedures", "medications"] as const) {
      const [row] = await readSql.query(`SELECT COUNT(*) AS "n" FROM "${table}" WHERE ${rows.sql}`, rows.args);
      timeline[table] += n(row?.n);
    }
  }
  return {
    census: [...census.values()].sort(byKey((c) => c.facilityId)),
    openEncounterIds: openEncounterIds.sort(),
    pipeline: [...pipeline.values()].sort(byKey((p) => `${p.facilityId} ${p.status}`)),
    timeline,
  };
}

const TIMELINE_TYPES: Record<string, keyof LabCounts["timeline"]> = {
  PatientRegistered: "patients",
  EncounterOpened: "encounters",
  DiagnosisRecorded: "diagnoses",
  ProcedureRecorded: "procedures",
  MedicationPrescribed: "medications",
  ClaimCreated: "claims",
};

export async function readModelCounts(db: SqlDatabase): Promise<LabCounts> {
  const census = (await db.query(`SELECT "facility_id", "patients", "open_encounters", "encounters_total" FROM "facility_census" ORDER BY "facility_id"`))
    .map((r) => ({ facilityId: String(r.facility_id), patients: n(r.patients), openEncounters: n(r.open_encounters), encountersTotal: n(r.encounters_total) }))
    .filter((c) => c.patients + c.encountersTotal > 0);
  const openEncounterIds = (await db.query(`SELECT "encounter_id" FROM "open_encounters"`)).map((r) => String(r.encounter_id)).sort();
  const pipeline = (await db.query(`SELECT "facility_id", "status", "claims", "total_cents" FROM "claims_pipeline" WHERE "claims" <> 0`))
    .map((r) => ({ facilityId: String(r.facility_id), status: String(r.status), claims: n(r.claims), totalCents: n(r.total_cents) }))
    .sort(byKey((p) => `${p.facilityId} ${p.status}`));
  const timeline = { patients: 0, encounters: 0, diagnoses: 0, procedures: 0, medications: 0, claims: 0 };
  for (const r of await db.query(`SELECT "type", COUNT(*) AS "n" FROM "patient_timeline" GROUP BY "type"`)) {
    const kind = TIMELINE_TYPES[String(r.type)];
    if (kind) timeline[kind] += n(r.n);
  }
  return { census, openEncounterIds, pipeline, timeline };
}
