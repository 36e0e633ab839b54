// Loading a patient inside a write and checking the actor may act on them: the service-side half of the
// authorization that the gateway also applies.
import { type Action, authorize } from "../auth/policy.ts";
import type { Actor } from "../auth/roles.ts";
import type { Patient } from "../data/prisma-clients.ts";
import type { ShardTx } from "../data/shard-transaction.ts";
import { LabError } from "../errors/index.ts";

export async function loadPatientFor(tx: ShardTx, actor: Actor, action: Action, patientId: string): Promise<Patient> {
  const patient = await tx.patient.findUnique({ where: { id: patientId } });
  if (!patient) throw new LabError("not_found", `patient ${patientId} does not exist`, { field: "patientId" });
  const decision = authorize(actor, action, { patientId, facilityId: patient.facilityId });
  if (!decision.allowed) throw new LabError("forbidden", decision.reason);
  return patient;
}

export function requireAllowed(actor: Actor, action: Action, target: { patientId?: string; facilityId?: string }): void {
  const decision = authorize(actor, action, target);
  if (!decision.allowed) throw new LabError("forbidden", decision.reason);
}

/** Optimistic concurrency: the caller's If-Match version must be the row's current one. */
export function requireVersion(entity: string, id: string, current: number, expected: number): void {
  if (current !== expected) throw new LabError("conflict", `${entity} ${id} is at version ${current}, not ${expected}`, { field: "If-Match" });
}
