// Encounters and the clinical records made in them (diagnoses, procedures, medications).
import { type Page, type PageRequest, afterKeyWhere, scatterPage } from "./cross-shard-page.ts";
import { fencedBuckets, ownedByPatient } from "./bucket-fences.ts";
import type { LabDatabases, ShardHandle } from "./lab-databases.ts";
import { patientRowsPage } from "./patient-page.ts";
import type { Diagnosis, Encounter, Medication, Procedure } from "./prisma-clients.ts";
import { selectList } from "./tables.ts";

export type EncounterWithRecords = Encounter & { diagnoses: Diagnosis[]; procedures: Procedure[]; medications: Medication[] };

export interface TimeRange {
  from?: Date;
  to?: Date;
}

const byStart = (e: Encounter) => ({ sort: e.startedAt.getTime(), id: e.id });
const startedWithin = (range: TimeRange) =>
  range.from || range.to ? { startedAt: { ...(range.from ? { gte: range.from } : {}), ...(range.to ? { lt: range.to } : {}) } } : {};

// The single-patient reads are the API's hottest paths: prepared raw SQL on the shard's read connection
// (ADR 0006; one patient's list: patient-page.ts). Lists across shards stay on Prisma.
const SQL = {
  encounter: `SELECT ${selectList("Encounter")} FROM "encounters" WHERE "id" = ? AND "patientId" = ?`,
  diagnoses: `SELECT ${selectList("Diagnosis")} FROM "diagnoses" WHERE "encounterId" = ? AND "patientId" = ? ORDER BY "recordedAt", "id"`,
  procedures: `SELECT ${selectList("Procedure")} FROM "procedures" WHERE "encounterId" = ? AND "patientId" = ? ORDER BY "performedAt", "id"`,
  medications: `SELECT ${selectList("Medication")} FROM "medications" WHERE "encounterId" = ? AND "patientId" = ? ORDER BY "prescribedAt", "id"`,
};

export async function findEncounter(lab: LabDatabases, patientId: string, encounterId: string): Promise<EncounterWithRecords | null> {
  const db = lab.shardForPatient(patientId).readSql;
  const [encounter] = await db.query(SQL.encounter, [encounterId, patientId]);
  if (!encounter) return null;
  const [diagnoses, procedures, medications] = await Promise.all([
    db.query(SQL.diagnoses, [encounterId, patientId]),
    db.query(SQL.procedures, [encounterId, patientId]),
    db.query(SQL.medications, [encounterId, patientId]),
  ]);
  return { ...(encounter as Encounter), diagnoses: diagnoses as Diagnosis[], procedures: procedures as Procedure[], medications: medications as Medication[] };
}

/** One patient's encounters, newest last, from the patient's shard. */
export async function listEncountersForPatient(lab: LabDatabases, patientId: string, page: PageRequest): Promise<Page<Encounter>> {
  return patientRowsPage(lab, "Encounter", "startedAt", byStart, patientId, page);
}

/** Encounters at a facility within a time range, across every shard, by start time. */
export async function listEncountersByFacility(lab: LabDatabases, facilityId: string, range: TimeRange, page: PageRequest): Promise<Page<Encounter>> {
  return scatterPage(lab.shards, (shard, after, take) => encountersAfter(shard, { facilityId, ...startedWithin(range) }, after, take), byStart, page);
}

/** Every encounter that started within a time range, across every shard. */
export async function listEncountersInRange(lab: LabDatabases, range: TimeRange, page: PageRequest): Promise<Page<Encounter>> {
  return scatterPage(lab.shards, (shard, after, take) => encountersAfter(shard, startedWithin(range), after, take), byStart, page);
}

async function encountersAfter(shard: ShardHandle, where: Record<string, unknown>, after: Parameters<typeof afterKeyWhere>[1], take: number) {
  return shard.reader.encounter.findMany({
    where: { AND: [where, ownedByPatient(await fencedBuckets(shard.readSql)), afterKeyWhere("startedAt", after, true)] },
    orderBy: [{ startedAt: "asc" }, { id: "asc" }],
    take,
  });
}
