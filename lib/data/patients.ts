// Patient rows: read and written on the patient's own shard; listed across shards.
import { LabError } from "../errors/index.ts";
import { type Page, type PageKey, type PageRequest, scatterPage } from "./cross-shard-page.ts";
import { fencedBuckets, ownedPatients } from "./bucket-fences.ts";
import type { LabDatabases } from "./lab-databases.ts";
import type { Patient } from "./prisma-clients.ts";
import type { ShardTx } from "./shard-transaction.ts";

export type DemographicsChange = Partial<Pick<Patient, "givenName" | "familyName" | "addressLine" | "city" | "region" | "postalCode">>;

export async function findPatient(lab: LabDatabases, patientId: string): Promise<Patient | null> {
  return lab.shardForPatient(patientId).reader.patient.findUnique({ where: { id: patientId } });
}

/** Optimistic concurrency: the change applies only if the row is still at `expectedVersion`. */
export async function updatePatientDemographics(
  tx: ShardTx,
  patientId: string,
  expectedVersion: number,
  change: DemographicsChange,
  at: Date,
): Promise<{ before: Patient; after: Patient }> {
  const before = await tx.patient.findUnique({ where: { id: patientId } });
  if (!before) throw new LabError("not_found", `patient ${patientId} does not exist`, { field: "patientId" });
  const { count } = await tx.patient.updateMany({
    where: { id: patientId, version: expectedVersion },
    data: { ...change, version: { increment: 1 }, updatedAt: at },
  });
  if (count === 0) {
    throw new LabError("conflict", `patient ${patientId} is at version ${before.version}, not ${expectedVersion}`, { field: "version" });
  }
  const after = await tx.patient.findUniqueOrThrow({ where: { id: patientId } });
  return { before, after };
}

const idCursor = (after: PageKey) => {
  if (after.sort !== "") throw new LabError("invalid", "cursor belongs to another list; start again without it", { field: "cursor" });
  return after.id;
};

/** Patients registered at a facility, across every shard, ordered by id. */
export async function listPatientsByFacility(lab: LabDatabases, facilityId: string, page: PageRequest): Promise<Page<Patient>> {
  return scatterPage(
    lab.shards,
    async (shard, after, take) =>
      shard.reader.patient.findMany({
        where: { facilityId, ...ownedPatients(await fencedBuckets(shard.reader)), ...(after ? { id: { gt: idCursor(after) } } : {}) },
        orderBy: { id: "asc" },
        take,
      }),
    (p) => ({ sort: "", id: p.id }),
    page,
  );
}

/** Finds a patient by a pseudonymous token (MRN or national id) on whichever shard holds it. */
export async function findPatientByToken(lab: LabDatabases, field: "mrnToken" | "nationalIdToken", token: string): Promise<Patient | null> {
  const found = await Promise.all(lab.shards.map(async (s) => s.reader.patient.findFirst({ where: { [field]: token, ...ownedPatients(await fencedBuckets(s.reader)) } })));
  return found.find((p) => p !== null) ?? null;
}

