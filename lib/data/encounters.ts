// Encounters and the clinical records made in them (diagnoses, procedures, medications).
import { type Page, type PageRequest, afterKeyWhere, scatterPage } from "./cross-shard-page.ts";
import { fencedBuckets, ownedByPatient } from "./bucket-fences.ts";
import type { LabDatabases, ShardHandle } from "./lab-databases.ts";
import type { Diagnosis, Encounter, Medication, Procedure } from "./prisma-clients.ts";

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
