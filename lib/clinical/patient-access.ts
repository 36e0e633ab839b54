// Deciding whether an actor may act on a patient, without telling an outsider whether the patient exists:
// the role and own-record checks come before any look-up, and to a facility-scoped caller a missing patient
// and another facility's patient get the same 403.
import { type Action, type View, authorize, grantFor } from "../auth/policy.ts";
import type { Actor } from "../auth/roles.ts";
import type { Patient } from "../data/prisma-clients.ts";
import { selectRow } from "../data/rows.ts";
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

/** Optimistic concurrency: the caller's If-Match version must be the row's current one. */
export function requireVersion(entity: string, id: string, current: number, expected: number): void {
  if (current !== expected) throw new LabError("conflict", `${entity} ${id} is at version ${current}, not ${expected}`, { field: "If-Match" });
}
