// Every route of the lab's API, described once from the zod contracts: the OpenAPI document is generated
// from this list, and a test proves each entry is served and each served route is listed.
import type { z } from "zod";
import type { Action } from "../auth/policy.ts";
import {
  AdjudicateClaimInput,
  ClaimParams,
  ClaimPipelineQuery,
  CreateClaimInput,
  DenyClaimInput,
} from "../billing/contracts.ts";
import {
  EncounterParams,
  MedicationParams,
  OpenEncounterInput,
  PageQuery,
  PatientParams,
  PatientSearchQuery,
  PrescribeMedicationInput,
  RecordDiagnosisInput,
  RecordProcedureInput,
  RegisterPatientInput,
  UpdateDemographicsInput,
} from "../clinical/contracts.ts";

export interface ApiRoute {
  method: "GET" | "POST" | "PATCH";
  /** Fastify-style path: /patients/:patientId */
  path: string;
  service: "clinical" | "billing";
  action: Action;
  summary: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Needs If-Match with the version last read. */
  versioned?: boolean;
  created?: boolean;
}

export const API_ROUTES: readonly ApiRoute[] = [
  { method: "POST", path: "/patients", service: "clinical", action: "patient.register", summary: "Register a patient", body: RegisterPatientInput, created: true },
  { method: "GET", path: "/patients", service: "clinical", action: "patient.search", summary: "Patients of a facility, or the one with an MRN", query: PatientSearchQuery },
  { method: "GET", path: "/patients/:patientId", service: "clinical", action: "patient.read", summary: "Read a patient", params: PatientParams },
  { method: "PATCH", path: "/patients/:patientId", service: "clinical", action: "patient.update", summary: "Change demographics", params: PatientParams, body: UpdateDemographicsInput, versioned: true },
  { method: "GET", path: "/patients/:patientId/encounters", service: "clinical", action: "encounter.read", summary: "A patient's encounters", params: PatientParams, query: PageQuery },
  { method: "POST", path: "/patients/:patientId/encounters", service: "clinical", action: "encounter.open", summary: "Open an encounter", params: PatientParams, body: OpenEncounterInput, created: true },
  { method: "GET", path: "/patients/:patientId/encounters/:encounterId", service: "clinical", action: "encounter.read", summary: "An encounter with its records", params: EncounterParams },
  { method: "POST", path: "/patients/:patientId/encounters/:encounterId/close", service: "clinical", action: "encounter.close", summary: "Close an encounter", params: EncounterParams, versioned: true },
  { method: "POST", path: "/patients/:patientId/encounters/:encounterId/diagnoses", service: "clinical", action: "diagnosis.record", summary: "Record a diagnosis", params: EncounterParams, body: RecordDiagnosisInput, created: true },
  { method: "POST", path: "/patients/:patientId/encounters/:encounterId/procedures", service: "clinical", action: "procedure.record", summary: "Record a procedure", params: EncounterParams, body: RecordProcedureInput, created: true },
  { method: "POST", path: "/patients/:patientId/encounters/:encounterId/medications", service: "clinical", action: "medication.prescribe", summary: "Prescribe a medication", params: EncounterParams, body: PrescribeMedicationInput, created: true },
  { method: "POST", path: "/patients/:patientId/medications/:medicationId/discontinue", service: "clinical", action: "medication.discontinue", summary: "Discontinue a medication", params: MedicationParams, versioned: true },
  { method: "GET", path: "/claims", service: "billing", action: "claim.read", summary: "The claims pipeline in one status, across shards", query: ClaimPipelineQuery },
  { method: "GET", path: "/patients/:patientId/claims", service: "billing", action: "claim.read", summary: "A patient's claims", params: PatientParams, query: PageQuery },
  { method: "POST", path: "/patients/:patientId/claims", service: "billing", action: "claim.create", summary: "Create a claim from a closed encounter", params: PatientParams, body: CreateClaimInput, created: true },
  { method: "GET", path: "/patients/:patientId/claims/:claimId", service: "billing", action: "claim.read", summary: "A claim with its lines", params: ClaimParams },
  { method: "POST", path: "/patients/:patientId/claims/:claimId/submit", service: "billing", action: "claim.submit", summary: "Submit a draft claim", params: ClaimParams, versioned: true },
  { method: "POST", path: "/patients/:patientId/claims/:claimId/adjudicate", service: "billing", action: "claim.adjudicate", summary: "Adjudicate a submitted claim", params: ClaimParams, body: AdjudicateClaimInput, versioned: true },
  { method: "POST", path: "/patients/:patientId/claims/:claimId/pay", service: "billing", action: "claim.pay", summary: "Pay an adjudicated claim", params: ClaimParams, versioned: true },
  { method: "POST", path: "/patients/:patientId/claims/:claimId/deny", service: "billing", action: "claim.deny", summary: "Deny a submitted or adjudicated claim", params: ClaimParams, body: DenyClaimInput, versioned: true },
];
