// Patient rows: read and written on the patient's own shard; listed across shards.
import { LabError } from "../errors/index.ts";
import { type Page, type PageKey, type PageRequest, scatterPage } from "./cross-shard-page.ts";
import { fencedBuckets, ownedPatients } from "./bucket-fences.ts";
import type { LabDatabases } from "./lab-databases.ts";
import type { Patient } from "./prisma-clients.ts";
import { selectList } from "./tables.ts";

const PATIENT_BY_ID = `SELECT ${selectList("Patient")} FROM "patients" WHERE "id" = ?`;

export async function findPatient(lab: LabDatabases, patientId: string): Promise<Patient | null> {
  const [row] = await lab.shardForPatient(patientId).readSql.query(PATIENT_BY_ID, [patientId]);
  return (row as Patient | undefined) ?? null;
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
        where: { facilityId, ...ownedPatients(await fencedBuckets(shard.readSql)), ...(after ? { id: { gt: idCursor(after) } } : {}) },
        orderBy: { id: "asc" },
        take,
      }),
    (p) => ({ sort: "", id: p.id }),
    page,
  );
}

/** Finds a patient by a pseudonymous token (MRN or national id) on whichever shard holds it. */
export async function findPatientByToken(lab: LabDatabases, field: "mrnToken" | "nationalIdToken", token: string): Promise<Patient | null> {
  // Registration asks this of every shard for each new patient: raw SQL on the read connections.
  const sql = `SELECT ${selectList("Patient")} FROM "patients" WHERE "${field}" = ?`;
  const found = await Promise.all(
    lab.shards.map(async (s) => {
      const fenced = new Set(await fencedBuckets(s.readSql));
      return ((await s.readSql.query(sql, [token])) as Patient[]).find((p) => !fenced.has(p.bucket)) ?? null;
    }),
  );
  return found.find((p) => p !== null) ?? null;
}
