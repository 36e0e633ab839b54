// Registering a patient and changing their demographics.
import { createHash, randomUUID } from "node:crypto";
import { changeAtVersion } from "../commands/patient-rows.ts";
import { rowWritten, runPatientCommand } from "../commands/run-patient-command.ts";
import type { CommandReply, PatientCommand, RequestContext, WriteFault } from "../commands/run-patient-command.ts";
import type { LabDatabases } from "../data/lab-databases.ts";
import type { Patient } from "../data/prisma-clients.ts";
import { insertRow } from "../data/rows.ts";
import { findPatientByToken } from "../data/patients.ts";
import { bucketOf } from "../data/shard-map.ts";
import { LabError } from "../errors/index.ts";
import { createPseudonymizer } from "../privacy/pseudonymize.ts";
import type { RegisterPatientInput, UpdateDemographicsInput } from "./contracts.ts";
import { loadPatientFor, requireAllowed } from "./patient-access.ts";

/**
 * A new patient's id. With an Idempotency-Key it is derived from the caller and the key, so a retry lands
 * on the same shard and finds its first answer there.
 */
export function newPatientId(ctx: RequestContext): string {
  if (!ctx.idempotencyKey) return `pat-${randomUUID()}`;
  const h = createHash("sha256").update(`${ctx.actor.userId}\u0000${ctx.idempotencyKey}`).digest("hex");
  return `pat-${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export async function registerPatient(lab: LabDatabases, ctx: RequestContext, input: RegisterPatientInput, fault?: WriteFault): Promise<CommandReply<Patient>> {
  requireAllowed(ctx.actor, "patient.register", { facilityId: input.facilityId });
  const patientId = newPatientId(ctx);
  const pseudonymize = createPseudonymizer(lab.config.privacySecret);
  const mrnToken = pseudonymize("mrn", input.mrn);
  // MRNs are unique per shard by index; across shards this look-up catches all but two registrations of one
  // MRN racing on different shards. It runs before the transaction: a transaction must not wait on other
  // shards' connections (their pools may be busy with transactions waiting on this one).
  const holder = await findPatientByToken(lab, "mrnToken", mrnToken);
  if (holder && holder.id !== patientId) throw new LabError("conflict", "a patient with this MRN is already registered", { field: "mrn" });
  return runPatientCommand(lab, patientId, ctx, { operation: "patient.register", request: input, fault }, async (tx) => {
    const patient = await insertRow(tx, "Patient", {
      id: patientId,
      bucket: bucketOf(patientId),
      facilityId: input.facilityId,
      mrnToken,
      nationalIdToken: pseudonymize("national-id", input.nationalId),
      phoneToken: pseudonymize("phone", input.phone),
      emailToken: pseudonymize("email", input.email),
      givenName: input.givenName,
      familyName: input.familyName,
      sex: input.sex,
      birthDate: new Date(`${input.birthDate}T00:00:00.000Z`),
      addressLine: input.addressLine,
      city: input.city,
      region: input.region,
      postalCode: input.postalCode,
      version: 1,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    });
    return rowWritten({
      action: "patient.register",
      entityType: "Patient",
      patientId,
      before: null,
      after: patient,
      details: { facilityId: input.facilityId, version: 1 },
      event: "PatientRegistered",
      payload: { patientId, facilityId: patient.facilityId, sex: patient.sex, birthYear: patient.birthDate.getUTCFullYear(), registeredAt: ctx.now },
    });
  });
}

export const updateDemographics: PatientCommand<[expectedVersion: number, change: UpdateDemographicsInput], Patient> = (
  lab,
  ctx,
  patientId,
  expectedVersion,
  change,
  fault,
) =>
  runPatientCommand(lab, patientId, ctx, { operation: "patient.update", request: { patientId, expectedVersion, change }, fault }, async (tx) => {
    const before = await loadPatientFor(tx, ctx.actor, "patient.update", patientId);
    const after = await changeAtVersion(tx, "Patient", before, expectedVersion, () => ({ ...change, updatedAt: ctx.now }));
    return rowWritten({
      action: "patient.update",
      entityType: "Patient",
      patientId,
      before,
      after,
      details: { fields: Object.keys(change).sort(), version: after.version },
      event: "PatientDemographicsChanged",
      payload: { patientId, fields: Object.keys(change).sort(), version: after.version },
    });
  });
