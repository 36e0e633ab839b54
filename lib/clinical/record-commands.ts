// What a clinician records during an open encounter: diagnoses, procedures, prescriptions; and stopping a
// medication.
import { randomUUID } from "node:crypto";
import { rowOfPatient } from "../commands/patient-rows.ts";
import { type PatientCommand, type RequestContext, rowWritten, runPatientCommand, type VersionedCommand } from "../commands/run-patient-command.ts";
import type { Encounter, Medication } from "../data/prisma-clients.ts";
import { type ModelRows, insertRow } from "../data/rows.ts";
import type { ShardTx } from "../data/shard-transaction.ts";
import { LabError } from "../errors/index.ts";
import type { Action } from "../auth/policy.ts";
import type { PrescribeMedicationInput, RecordDiagnosisInput, RecordProcedureInput } from "./contracts.ts";
import { changePatientRow, loadPatientFor } from "./patient-access.ts";

async function openEncounterFor(tx: ShardTx, ctx: RequestContext, action: Action, patientId: string, encounterId: string): Promise<Encounter> {
  await loadPatientFor(tx, ctx.actor, action, patientId);
  const encounter = await rowOfPatient(tx, "Encounter", patientId, encounterId);
  if (encounter.status !== "open")
    throw new LabError("conflict", `encounter ${encounterId} is ${encounter.status}; records go on open encounters`, { field: "encounterId" });
  return encounter;
}

/** The kinds of record made on an open encounter: the action that makes one, its event, its id's prefix and key in the event. */
const RECORD_KINDS = {
  Diagnosis: { action: "diagnosis.record", event: "DiagnosisRecorded", idPrefix: "dx", idKey: "diagnosisId" },
  Procedure: { action: "procedure.record", event: "ProcedureRecorded", idPrefix: "px", idKey: "procedureId" },
  Medication: { action: "medication.prescribe", event: "MedicationPrescribed", idPrefix: "med", idKey: "medicationId" },
} as const satisfies Record<string, { action: Action; event: string; idPrefix: string; idKey: string }>;
type EncounterRecord = keyof typeof RECORD_KINDS;

type RecordInputs = { Diagnosis: RecordDiagnosisInput; Procedure: RecordProcedureInput; Medication: PrescribeMedicationInput };
type OwnColumns = {
  [M in EncounterRecord]: (input: RecordInputs[M], now: Date) => Omit<ModelRows[M], "id" | "patientId" | "encounterId" | "providerId" | "version">;
};

/** What each kind's row holds of its input, in its table's column order, and when it happened. */
const OWN_COLUMNS: OwnColumns = {
  Diagnosis: (input: RecordDiagnosisInput, now: Date) => ({ code: input.code, description: input.description, recordedAt: now }),
  Procedure: (input: RecordProcedureInput, now: Date) => ({ code: input.code, description: input.description, performedAt: now }),
  Medication: (input: PrescribeMedicationInput, now: Date) => ({
    code: input.code,
    name: input.name,
    dose: input.dose,
    frequency: input.frequency,
    status: "active",
    prescribedAt: now,
    discontinuedAt: null,
  }),
};
/** The column that says when a record happened, also in its event. */
const HAPPENED_AT = { Diagnosis: "recordedAt", Procedure: "performedAt", Medication: "prescribedAt" } as const satisfies {
  [M in EncounterRecord]: keyof ModelRows[M];
};

/** The command that records one kind of row on an open encounter, by the encounter's provider. */
function recordOnEncounter<M extends EncounterRecord>(model: M): PatientCommand<[encounterId: string, input: RecordInputs[M]], ModelRows[M]> {
  const kind = RECORD_KINDS[model];
  return (lab, ctx, patientId, encounterId, input, fault) =>
    runPatientCommand(lab, patientId, ctx, { operation: kind.action, request: { patientId, encounterId, input }, fault }, async (tx) => {
      const encounter = await openEncounterFor(tx, ctx, kind.action, patientId, encounterId);
      const id = `${kind.idPrefix}-${randomUUID()}`;
      const row = { id, patientId, encounterId, providerId: encounter.providerId, ...OWN_COLUMNS[model](input, ctx.now), version: 1 } as ModelRows[M];
      await insertRow(tx, model, row);
      return rowWritten({
        action: kind.action,
        entityType: model,
        patientId,
        before: null,
        after: row,
        details: { version: row.version },
        event: kind.event,
        payload: { [kind.idKey]: id, encounterId, patientId, code: input.code, [HAPPENED_AT[model]]: ctx.now },
      });
    });
}

export const recordDiagnosis = recordOnEncounter("Diagnosis");
export const recordProcedure = recordOnEncounter("Procedure");
export const prescribeMedication = recordOnEncounter("Medication");

export const discontinueMedication: VersionedCommand<Medication> = (lab, ctx, patientId, medicationId, expectedVersion, fault) =>
  runPatientCommand(lab, patientId, ctx, { operation: "medication.discontinue", request: { patientId, medicationId, expectedVersion }, fault }, async (tx) => {
    const stopping = { action: "medication.discontinue", model: "Medication", patientId, id: medicationId, expectedVersion } as const;
    const { before, after } = await changePatientRow(tx, ctx.actor, stopping, (m) => {
      if (m.status !== "active") throw new LabError("conflict", `medication ${medicationId} is already ${m.status}`, { field: "status" });
      return { status: "discontinued", discontinuedAt: ctx.now };
    });
    return rowWritten({
      action: "medication.discontinue",
      entityType: "Medication",
      patientId,
      before,
      after,
      details: { version: after.version },
      event: "MedicationDiscontinued",
      payload: { medicationId, patientId, discontinuedAt: after.discontinuedAt },
    });
  });
