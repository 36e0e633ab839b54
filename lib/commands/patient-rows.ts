// What a command reads and changes of a patient's rows inside its shard transaction: a row by its id, or a
// 404 naming it; and a change to the row's next version, refused with a 409 when the caller's If-Match
// version is not the row's, or the row changed meanwhile (optimistic concurrency).
import { type ModelRows, selectRow, updateVersionedRow } from "../data/rows.ts";
import type { ShardTx } from "../data/shard-transaction.ts";
import { LabError } from "../errors/index.ts";

/** The rows a patient owns that commands look up by id: an encounter, a medication, a claim. */
type PatientOwned = "Encounter" | "Medication" | "Claim";
type Versioned = PatientOwned | "Patient";

/** The patient's row of `model` with this id; a 404 naming the id's field (`encounterId`) when there is none. */
export async function rowOfPatient<M extends PatientOwned>(tx: ShardTx, model: M, patientId: string, id: string): Promise<ModelRows[M]> {
  const entity = model.toLowerCase();
  const row = await selectRow(tx, model, { id, patientId } as Partial<ModelRows[M]>);
  if (!row) throw new LabError("not_found", `${entity} ${id} does not exist for this patient`, { field: `${entity}Id` });
  return row;
}

/** Optimistic concurrency: the caller's If-Match version must be the row's current one. */
function requireVersion(entity: string, id: string, current: number, expected: number): void {
  if (current !== expected) throw new LabError("conflict", `${entity} ${id} is at version ${current}, not ${expected}`, { field: "If-Match" });
}

/**
 * Moves a row the caller read at `expectedVersion` to its next version with `change(before)` (which may
 * refuse the change by throwing), and returns the row after it.
 */
export async function changeAtVersion<M extends Versioned>(
  tx: ShardTx,
  model: M,
  before: ModelRows[M],
  expectedVersion: number,
  change: (before: ModelRows[M]) => Partial<ModelRows[M]>,
): Promise<ModelRows[M]> {
  const entity = model.toLowerCase();
  requireVersion(entity, before.id, before.version, expectedVersion);
  const after = await updateVersionedRow(tx, model, before, change(before));
  if (!after) throw new LabError("conflict", `${entity} ${before.id} changed meanwhile`, { field: "If-Match" });
  return after;
}
