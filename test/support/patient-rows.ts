// A versioned write of a patient row inside a shard transaction, without the clinical command around it:
// the repository tests use it to prove optimistic concurrency, rollback and bucket fences at the data layer.
import type { Patient } from "../../lib/data/prisma-clients.ts";
import { selectRow, updateVersionedRow } from "../../lib/data/rows.ts";
import type { ShardTx } from "../../lib/data/shard-transaction.ts";
import { LabError } from "../../lib/errors/index.ts";

type DemographicsChange = Partial<Pick<Patient, "givenName" | "familyName" | "addressLine" | "city" | "region" | "postalCode">>;

/** Optimistic concurrency: the change applies only if the row is still at `expectedVersion`. */
export async function updatePatientDemographics(
  tx: ShardTx,
  patientId: string,
  expectedVersion: number,
  change: DemographicsChange,
  at: Date,
): Promise<{ before: Patient; after: Patient }> {
  const before = await selectRow(tx, "Patient", { id: patientId });
  if (!before) throw new LabError("not_found", `patient ${patientId} does not exist`, { field: "patientId" });
  const after = before.version === expectedVersion ? await updateVersionedRow(tx, "Patient", before, { ...change, updatedAt: at }) : null;
  if (!after) {
    throw new LabError("conflict", `patient ${patientId} is at version ${before.version}, not ${expectedVersion}`, { field: "version" });
  }
  return { before, after };
}
