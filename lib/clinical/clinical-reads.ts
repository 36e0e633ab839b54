// Reads of clinical data with the caller's view applied: the policy decides whether and how much.
import { type Action, authorize } from "../auth/policy.ts";
import type { Actor } from "../auth/roles.ts";
import type { Page, PageRequest } from "../data/cross-shard-page.ts";
import { type EncounterWithRecords, findEncounter, listEncountersForPatient } from "../data/encounters.ts";
import type { LabDatabases } from "../data/lab-databases.ts";
import { findPatient, findPatientByToken, listPatientsByFacility } from "../data/patients.ts";
import type { Encounter, Patient } from "../data/prisma-clients.ts";
import { LabError } from "../errors/index.ts";
import { createPseudonymizer } from "../privacy/pseudonymize.ts";
import { admitToPatient, gatePatientAction } from "./patient-access.ts";
import { type Shown, present } from "./present.ts";

/** An encounter with its records, as a view shows them. */
export type ShownEncounter = Shown<Omit<EncounterWithRecords, "diagnoses" | "procedures" | "medications">> & {
  diagnoses: Shown<EncounterWithRecords["diagnoses"][number]>[];
  procedures: Shown<EncounterWithRecords["procedures"][number]>[];
  medications: Shown<EncounterWithRecords["medications"][number]>[];
};

async function patientFor(lab: LabDatabases, actor: Actor, action: Action, patientId: string) {
  gatePatientAction(actor, action, patientId);
  const patient = await findPatient(lab, patientId);
  return { patient: patient!, view: admitToPatient(actor, action, patientId, patient) };
}

export async function readPatient(lab: LabDatabases, actor: Actor, patientId: string): Promise<Shown<Patient>> {
  const { patient, view } = await patientFor(lab, actor, "patient.read", patientId);
  return present("Patient", patient, view);
}

export async function readEncounter(lab: LabDatabases, actor: Actor, patientId: string, encounterId: string): Promise<ShownEncounter> {
  const { view } = await patientFor(lab, actor, "encounter.read", patientId);
  const encounter = await findEncounter(lab, patientId, encounterId);
  if (!encounter) throw new LabError("not_found", `encounter ${encounterId} does not exist for this patient`, { field: "encounterId" });
  const { diagnoses, procedures, medications, ...row } = encounter;
  return {
    ...present("Encounter", row, view),
    diagnoses: diagnoses.map((d) => present("Diagnosis", d, view)),
    procedures: procedures.map((p) => present("Procedure", p, view)),
    medications: medications.map((m) => present("Medication", m, view)),
  };
}

export async function listPatientEncounters(lab: LabDatabases, actor: Actor, patientId: string, page: PageRequest): Promise<Page<Shown<Encounter>>> {
  const { view } = await patientFor(lab, actor, "encounter.read", patientId);
  const result = await listEncountersForPatient(lab, patientId, page);
  return { items: result.items.map((e) => present("Encounter", e, view)), nextCursor: result.nextCursor };
}

/** Patients of a facility (clinicians: their own), or the one patient holding a clear MRN's token. */
export async function searchPatients(
  lab: LabDatabases,
  actor: Actor,
  query: { facilityId?: string; mrn?: string },
  page: PageRequest,
): Promise<Page<Shown<Patient>>> {
  if (query.mrn !== undefined) {
    const token = createPseudonymizer(lab.config.privacySecret)("mrn", query.mrn);
    const allowedAtAll = authorize(actor, "patient.search");
    if (!allowedAtAll.allowed) throw new LabError("forbidden", allowedAtAll.reason);
    const patient: Patient | null = await findPatientByToken(lab, "mrnToken", token);
    // A match the caller may not see is no match: the answer must not tell which MRNs exist elsewhere.
    const decision = patient ? authorize(actor, "patient.search", { patientId: patient.id, facilityId: patient.facilityId }) : null;
    return { items: patient && decision?.allowed ? [present("Patient", patient, decision.view)] : [], nextCursor: null };
  }
  if (!query.facilityId) throw new LabError("invalid", "search by facilityId or mrn", { field: "facilityId" });
  const decision = authorize(actor, "patient.search", { facilityId: query.facilityId });
  if (!decision.allowed) throw new LabError("forbidden", decision.reason);
  const result = await listPatientsByFacility(lab, query.facilityId, page);
  return { items: result.items.map((p) => present("Patient", p, decision.view)), nextCursor: result.nextCursor };
}
