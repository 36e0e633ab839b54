// Encounters and the clinical records made in them (diagnoses, procedures, medications).
import { LabError } from "../errors/index.ts";
import { type Page, type PageRequest, afterKeyWhere, scatterPage } from "./cross-shard-page.ts";
import { fencedBuckets, ownedByPatient } from "./bucket-fences.ts";
import type { LabDatabases, ShardHandle } from "./lab-databases.ts";
import type { Diagnosis, Encounter, Medication, Procedure } from "./prisma-clients.ts";
import type { ShardTx } from "./shard-transaction.ts";

export type EncounterWithRecords = Encounter & { diagnoses: Diagnosis[]; procedures: Procedure[]; medications: Medication[] };

export interface TimeRange {
  from?: Date;
  to?: Date;
}

const byStart = (e: Encounter) => ({ sort: e.startedAt.getTime(), id: e.id });
const startedWithin = (range: TimeRange) =>
  range.from || range.to ? { startedAt: { ...(range.from ? { gte: range.from } : {}), ...(range.to ? { lt: range.to } : {}) } } : {};

export async function findEncounter(lab: LabDatabases, patientId: string, encounterId: string): Promise<EncounterWithRecords | null> {
  return lab.shardForPatient(patientId).reader.encounter.findFirst({
    where: { id: encounterId, patientId },
    include: { diagnoses: { orderBy: { recordedAt: "asc" } }, procedures: { orderBy: { performedAt: "asc" } }, medications: { orderBy: { prescribedAt: "asc" } } },
  });
}

export async function insertEncounter(tx: ShardTx, encounter: Omit<Encounter, "version">): Promise<Encounter> {
  return tx.encounter.create({ data: { ...encounter, version: 1 } });
}

export async function closeEncounter(tx: ShardTx, encounterId: string, expectedVersion: number, endedAt: Date): Promise<{ before: Encounter; after: Encounter }> {
  const before = await tx.encounter.findUnique({ where: { id: encounterId } });
  if (!before) throw new LabError("not_found", `encounter ${encounterId} does not exist`, { field: "encounterId" });
  if (before.status === "closed") throw new LabError("conflict", `encounter ${encounterId} is already closed`, { field: "status" });
  const { count } = await tx.encounter.updateMany({
    where: { id: encounterId, version: expectedVersion },
    data: { status: "closed", endedAt, updatedAt: endedAt, version: { increment: 1 } },
  });
  if (count === 0) throw new LabError("conflict", `encounter ${encounterId} is at version ${before.version}, not ${expectedVersion}`, { field: "version" });
  return { before, after: await tx.encounter.findUniqueOrThrow({ where: { id: encounterId } }) };
}

export async function insertDiagnosis(tx: ShardTx, row: Omit<Diagnosis, "version">): Promise<Diagnosis> {
  return tx.diagnosis.create({ data: { ...row, version: 1 } });
}

export async function insertProcedure(tx: ShardTx, row: Omit<Procedure, "version">): Promise<Procedure> {
  return tx.procedure.create({ data: { ...row, version: 1 } });
}

export async function insertMedication(tx: ShardTx, row: Omit<Medication, "version">): Promise<Medication> {
  return tx.medication.create({ data: { ...row, version: 1 } });
}

/** One patient's encounters, newest last, from the patient's shard. */
export async function listEncountersForPatient(lab: LabDatabases, patientId: string, page: PageRequest): Promise<Page<Encounter>> {
  return scatterPage([lab.shardForPatient(patientId)], (shard, after, take) => encountersAfter(shard, { patientId }, after, take), byStart, page);
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
    where: { AND: [where, ownedByPatient(await fencedBuckets(shard.reader)), afterKeyWhere("startedAt", after, true)] },
    orderBy: [{ startedAt: "asc" }, { id: "asc" }],
    take,
  });
}
