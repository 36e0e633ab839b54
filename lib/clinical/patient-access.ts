// Deciding whether an actor may act on a patient, without telling an outsider whether the patient exists:
// the role and own-record checks come before any look-up, and to a facility-scoped caller a missing patient
// and another facility's patient get the same 403.
import { type Action, type View, authorize, grantFor } from "../auth/policy.ts";
import type { Actor } from "../auth/roles.ts";
import type { Patient } from "../data/prisma-clients.ts";
import { changeAtVersion, rowOfPatient } from "../commands/patient-rows.ts";
import { type ModelRows, selectRow } from "../data/rows.ts";
import type { ShardTx } from "../data/shard-transaction.ts";
import { LabError } from "../errors/index.ts";

const OUTSIDE_FACILITY = "the patient is not registered at your facility";

/** The checks that need no data: the role may take the action, and a patient acts only on their own record. */
export function gatePatientAction(actor: Actor, action: Action, patientId: string) {
  const grant = grantFor(actor.role, action);
  if (!grant) throw new LabError("forbidden", `role ${actor.role} may not ${action}`);
  if (grant.scope === "own-record" && actor.patientId !== patientId) throw new LabError("forbidden", "a patient may only act on their own record");
  return grant;
}

/** After the look-up: the view the actor gets of this patient, or a refusal that leaks nothing. */
export function admitToPatient(actor: Actor, action: Action, patientId: string, patient: Patient | null): View {
  const grant = gatePatientAction(actor, action, patientId);
  if (!patient) {
    if (grant.scope === "own-facility") throw new LabError("forbidden", OUTSIDE_FACILITY);
    throw new LabError("not_found", `patient ${patientId} does not exist`, { field: "patientId" });
  }
  const decision = authorize(actor, action, { patientId, facilityId: patient.facilityId });
  if (!decision.allowed) throw new LabError("forbidden", grant.scope === "own-facility" ? OUTSIDE_FACILITY : decision.reason);
  return decision.view;
}

export async function loadPatientFor(tx: ShardTx, actor: Actor, action: Action, patientId: string): Promise<Patient> {
  gatePatientAction(actor, action, patientId);
  const patient = await selectRow(tx, "Patient", { id: patientId });
  admitToPatient(actor, action, patientId, patient);
  return patient!;
}

export function requireAllowed(actor: Actor, action: Action, target: { patientId?: string; facilityId?: string }): void {
  const decision = authorize(actor, action, target);
  if (!decision.allowed) throw new LabError("forbidden", decision.reason);
}

/**
 * A change to one row the patient owns, by an actor who may `action` on the patient: the row as it was and
 * as it is at its next version. After the If-Match version check, `change` sees the row and may refuse (throw).
 */
export async function changePatientRow<M extends "Encounter" | "Medication" | "Claim">(
  tx: ShardTx,
  actor: Actor,
  row: { action: Action; model: M; patientId: string; id: string; expectedVersion: number },
  change: (before: ModelRows[M]) => Partial<ModelRows[M]>,
): Promise<{ before: ModelRows[M]; after: ModelRows[M] }> {
  await loadPatientFor(tx, actor, row.action, row.patientId);
  const before = await rowOfPatient(tx, row.model, row.patientId, row.id);
  return { before, after: await changeAtVersion(tx, row.model, before, row.expectedVersion, change) };
}
