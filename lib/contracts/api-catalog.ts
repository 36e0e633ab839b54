// Every route of the lab's API (the clinical and billing services behind the gateway), described once from
// the zod contracts: the services register their handlers from it, the gateway its route table, the OpenAPI
// document is generated from it, and a test proves each entry is served and each served route is listed.
import type { Action } from "../auth/policy.ts";
import type { ShownClaim } from "../billing/billing-reads.ts";
import type { ShownEncounter } from "../clinical/clinical-reads.ts";
import type { Shown } from "../clinical/present.ts";
import type { Page } from "../data/cross-shard-page.ts";
import type { Claim, Encounter, Patient } from "../data/prisma-clients.ts";
import { type LabRoute, lineParts, type RouteLine } from "./lab-route.ts";
import { AdjudicateClaimInput, ClaimParams, ClaimPipelineQuery, CreateClaimInput, DenyClaimInput } from "../billing/contracts.ts";
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

/** Writes answer the record they wrote; reads the records as the caller's view shows them, or a page of them. */
type Written = Record<string, unknown>;
const api =
  <A = Written>() =>
  <R extends Omit<ApiRoute, "method" | "path"> & { at: RouteLine<ApiRoute["method"]> }>({ at, ...r }: R) =>
    ({ ...r, ...lineParts(at) }) as Omit<R, "at"> & { method: ApiRoute["method"]; path: string; readonly answer?: A };

export interface ApiRoute extends LabRoute {
  method: "GET" | "POST" | "PATCH";
  process: "clinical" | "billing";
  action: Action;
  /** Needs If-Match with the version last read. */
  versioned?: boolean;
  created?: boolean;
}

/** The clinical and billing API by name, for the clients that call it (the portal, agents). */
export const API = {
  registerPatient: api()({
    at: "POST /patients",
    process: "clinical",
    action: "patient.register",
    summary: "Register a patient",
    body: RegisterPatientInput,
    created: true,
  }),
  searchPatients: api<Page<Shown<Patient>>>()({
    at: "GET /patients",
    process: "clinical",
    action: "patient.search",
    summary: "Patients of a facility, or the one with an MRN",
    query: PatientSearchQuery,
  }),
  patient: api<Shown<Patient>>()({
    at: "GET /patients/:patientId",
    process: "clinical",
    action: "patient.read",
    summary: "Read a patient",
    params: PatientParams,
  }),
  updateDemographics: api()({
    at: "PATCH /patients/:patientId",
    process: "clinical",
    action: "patient.update",
    summary: "Change demographics",
    params: PatientParams,
    body: UpdateDemographicsInput,
    versioned: true,
  }),
  encounters: api<Page<Shown<Encounter>>>()({
    at: "GET /patients/:patientId/encounters",
    process: "clinical",
    action: "encounter.read",
    summary: "A patient's encounters",
    params: PatientParams,
    query: PageQuery,
  }),
  openEncounter: api()({
    at: "POST /patients/:patientId/encounters",
    process: "clinical",
    action: "encounter.open",
    summary: "Open an encounter",
    params: PatientParams,
    body: OpenEncounterInput,
    created: true,
  }),
  encounter: api<ShownEncounter>()({
    at: "GET /patients/:patientId/encounters/:encounterId",
    process: "clinical",
    action: "encounter.read",
    summary: "An encounter with its records",
    params: EncounterParams,
  }),
  closeEncounter: api()({
    at: "POST /patients/:patientId/encounters/:encounterId/close",
    process: "clinical",
    action: "encounter.close",
    summary: "Close an encounter",
    params: EncounterParams,
    versioned: true,
  }),
  recordDiagnosis: api()({
    at: "POST /patients/:patientId/encounters/:encounterId/diagnoses",
    process: "clinical",
    action: "diagnosis.record",
    summary: "Record a diagnosis",
    params: EncounterParams,
    body: RecordDiagnosisInput,
    created: true,
  }),
  recordProcedure: api()({
    at: "POST /patients/:patientId/encounters/:encounterId/procedures",
    process: "clinical",
    action: "procedure.record",
    summary: "Record a procedure",
    params: EncounterParams,
    body: RecordProcedureInput,
    created: true,
  }),
  prescribeMedication: api()({
    at: "POST /patients/:patientId/encounters/:encounterId/medications",
    process: "clinical",
    action: "medication.prescribe",
    summary: "Prescribe a medication",
    params: EncounterParams,
    body: PrescribeMedicationInput,
    created: true,
  }),
  discontinueMedication: api()({
    at: "POST /patients/:patientId/medications/:medicationId/discontinue",
    process: "clinical",
    action: "medication.discontinue",
    summary: "Discontinue a medication",
    params: MedicationParams,
    versioned: true,
  }),
  claimsInStatus: api<Page<Shown<Claim>>>()({
    at: "GET /claims",
    process: "billing",
    action: "claim.read",
    summary: "The claims pipeline in one status, across shards",
    query: ClaimPipelineQuery,
  }),
  patientClaims: api<Page<Shown<Claim>>>()({
    at: "GET /patients/:patientId/claims",
    process: "billing",
    action: "claim.read",
    summary: "A patient's claims",
    params: PatientParams,
    query: PageQuery,
  }),
  createClaim: api()({
    at: "POST /patients/:patientId/claims",
    process: "billing",
    action: "claim.create",
    summary: "Create a claim from a closed encounter",
    params: PatientParams,
    body: CreateClaimInput,
    created: true,
  }),
  claim: api<ShownClaim>()({
    at: "GET /patients/:patientId/claims/:claimId",
    process: "billing",
    action: "claim.read",
    summary: "A claim with its lines",
    params: ClaimParams,
  }),
  submitClaim: api()({
    at: "POST /patients/:patientId/claims/:claimId/submit",
    process: "billing",
    action: "claim.submit",
    summary: "Submit a draft claim",
    params: ClaimParams,
    versioned: true,
  }),
  adjudicateClaim: api()({
    at: "POST /patients/:patientId/claims/:claimId/adjudicate",
    process: "billing",
    action: "claim.adjudicate",
    summary: "Adjudicate a submitted claim",
    params: ClaimParams,
    body: AdjudicateClaimInput,
    versioned: true,
  }),
  payClaim: api()({
    at: "POST /patients/:patientId/claims/:claimId/pay",
    process: "billing",
    action: "claim.pay",
    summary: "Pay an adjudicated claim",
    params: ClaimParams,
    versioned: true,
  }),
  denyClaim: api()({
    at: "POST /patients/:patientId/claims/:claimId/deny",
    process: "billing",
    action: "claim.deny",
    summary: "Deny a submitted or adjudicated claim",
    params: ClaimParams,
    body: DenyClaimInput,
    versioned: true,
  }),
} satisfies Record<string, ApiRoute>;

export const API_ROUTES: readonly ApiRoute[] = Object.values(API);
