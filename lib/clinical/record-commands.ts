// What a clinician records during an open encounter: diagnoses, procedures, prescriptions; and stopping a
// medication.
import { randomUUID } from "node:crypto";
import { type CommandOutcome, type CommandReply, type RequestContext, runPatientCommand, type WriteFault } from "../commands/run-patient-command.ts";
import type { LabDatabases } from "../data/lab-databases.ts";
import type { Diagnosis, Encounter, Medication, Procedure } from "../data/prisma-clients.ts";
import { insertRow, selectRow, updateVersionedRow } from "../data/rows.ts";
import type { ShardTx } from "../data/shard-transaction.ts";
import { LabError } from "../errors/index.ts";
import type { Action } from "../auth/policy.ts";
import type { PrescribeMedicationInput, RecordDiagnosisInput, RecordProcedureInput } from "./contracts.ts";
import { loadPatientFor, requireVersion } from "./patient-access.ts";

async function openEncounterFor(tx: ShardTx, ctx: RequestContext, action: Action, patientId: string, encounterId: string): Promise<Encounter> {
  await loadPatientFor(tx, ctx.actor, action, patientId);
  const encounter = await selectRow(tx, "Encounter", { id: encounterId, patientId });
  if (!encounter) throw new LabError("not_found", `encounter ${encounterId} does not exist for this patient`, { field: "encounterId" });
  if (encounter.status !== "open")
    throw new LabError("conflict", `encounter ${encounterId} is ${encounter.status}; records go on open encounters`, { field: "encounterId" });
  return encounter;
}

function created<R extends { id: string; version: number }>(
  entityType: string,
  row: R,
  patientId: string,
  action: string,
  eventType: string,
  payload: Record<string, unknown>,
): CommandOutcome<R> {
  return {
    status: 201,
    result: row,
    audit: { action, entityType, entityId: row.id, details: { version: row.version } },
    history: [{ entityType, entityId: row.id, version: row.version, operation: "create", before: null, after: row }],
    events: [{ type: eventType, version: 1, aggregateType: entityType, aggregateId: row.id, partitionKey: patientId, payload }],
  };
}

export async function recordDiagnosis(
  lab: LabDatabases,
  ctx: RequestContext,
  patientId: string,
  encounterId: string,
  input: RecordDiagnosisInput,
  fault?: WriteFault,
): Promise<CommandReply<Diagnosis>> {
  return runPatientCommand(lab, patientId, ctx, { operation: "diagnosis.record", request: { patientId, encounterId, input }, fault }, async (tx) => {
    const encounter = await openEncounterFor(tx, ctx, "diagnosis.record", patientId, encounterId);
    const row = await insertRow(tx, "Diagnosis", {
      id: `dx-${randomUUID()}`,
      patientId,
      encounterId,
      providerId: encounter.providerId,
      code: input.code,
      description: input.description,
      recordedAt: ctx.now,
      version: 1,
    });
    return created("Diagnosis", row, patientId, "diagnosis.record", "DiagnosisRecorded", {
      diagnosisId: row.id,
      encounterId,
      patientId,
      code: row.code,
      recordedAt: row.recordedAt,
    });
  });
}

export async function recordProcedure(
  lab: LabDatabases,
  ctx: RequestContext,
  patientId: string,
  encounterId: string,
  input: RecordProcedureInput,
  fault?: WriteFault,
): Promise<CommandReply<Procedure>> {
  return runPatientCommand(lab, patientId, ctx, { operation: "procedure.record", request: { patientId, encounterId, input }, fault }, async (tx) => {
    const encounter = await openEncounterFor(tx, ctx, "procedure.record", patientId, encounterId);
    const row = await insertRow(tx, "Procedure", {
      id: `px-${randomUUID()}`,
      patientId,
      encounterId,
      providerId: encounter.providerId,
      code: input.code,
      description: input.description,
      performedAt: ctx.now,
      version: 1,
    });
    return created("Procedure", row, patientId, "procedure.record", "ProcedureRecorded", {
      procedureId: row.id,
      encounterId,
      patientId,
      code: row.code,
      performedAt: row.performedAt,
    });
  });
}

export async function prescribeMedication(
  lab: LabDatabases,
  ctx: RequestContext,
  patientId: string,
  encounterId: string,
  input: PrescribeMedicationInput,
  fault?: WriteFault,
): Promise<CommandReply<Medication>> {
  return runPatientCommand(lab, patientId, ctx, { operation: "medication.prescribe", request: { patientId, encounterId, input }, fault }, async (tx) => {
    const encounter = await openEncounterFor(tx, ctx, "medication.prescribe", patientId, encounterId);
    const row = await insertRow(tx, "Medication", {
      id: `med-${randomUUID()}`,
      patientId,
      encounterId,
      providerId: encounter.providerId,
      code: input.code,
      name: input.name,
      dose: input.dose,
      frequency: input.frequency,
      status: "active",
      prescribedAt: ctx.now,
      discontinuedAt: null,
      version: 1,
    });
    return created("Medication", row, patientId, "medication.prescribe", "MedicationPrescribed", {
      medicationId: row.id,
      encounterId,
      patientId,
      code: row.code,
      prescribedAt: row.prescribedAt,
    });
  });
}

export async function discontinueMedication(
  lab: LabDatabases,
  ctx: RequestContext,
  patientId: string,
  medicationId: string,
  expectedVersion: number,
  fault?: WriteFault,
): Promise<CommandReply<Medication>> {
  return runPatientCommand(
    lab,
    patientId,
    ctx,
    { operation: "medication.discontinue", request: { patientId, medicationId, expectedVersion }, fault },
    async (tx) => {
      await loadPatientFor(tx, ctx.actor, "medication.discontinue", patientId);
      const before = await selectRow(tx, "Medication", { id: medicationId, patientId });
      if (!before) throw new LabError("not_found", `medication ${medicationId} does not exist for this patient`, { field: "medicationId" });
      requireVersion("medication", medicationId, before.version, expectedVersion);
      if (before.status !== "active") throw new LabError("conflict", `medication ${medicationId} is already ${before.status}`, { field: "status" });
      const after = await updateVersionedRow(tx, "Medication", before, { status: "discontinued", discontinuedAt: ctx.now });
      if (!after) throw new LabError("conflict", `medication ${medicationId} changed meanwhile`, { field: "If-Match" });
      return {
        status: 200,
        result: after,
        audit: { action: "medication.discontinue", entityType: "Medication", entityId: medicationId, details: { version: after.version } },
        history: [{ entityType: "Medication", entityId: medicationId, version: after.version, operation: "update", before, after }],
        events: [
          {
            type: "MedicationDiscontinued",
            version: 1,
            aggregateType: "Medication",
            aggregateId: medicationId,
            partitionKey: patientId,
            payload: { medicationId, patientId, discontinuedAt: after.discontinuedAt },
          },
        ],
      };
    },
  );
}
