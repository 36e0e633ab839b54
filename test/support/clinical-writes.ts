// What tests (and benchmarks) write through the clinical commands and API: a patient registration that
// passes validation, an outpatient visit, and the request context of a command called outside HTTP.
// No test framework is imported here: the browser tests use it too.
import type { Actor } from "../../lib/auth/roles.ts";
import type { OpenEncounterInput, RegisterPatientInput } from "../../lib/clinical/contracts.ts";
import type { RequestContext } from "../../lib/commands/run-patient-command.ts";

/** The clinician of fac-0001 that most tests write as (personaActors' clinician). */
export const FAC1_CLINICIAN: Actor = { userId: "usr-clinician", role: "clinician", facilityId: "fac-0001", patientId: null };

/** The context of a command called straight on the lab: no trace, no Idempotency-Key. */
export function commandContext(requestId: string, actor: Actor = FAC1_CLINICIAN): RequestContext {
  return { actor, requestId, traceparent: null, idempotencyKey: null, now: new Date() };
}

/**
 * A registration at fac-0001. `label` makes the person one of their own (an MRN registers once): the MRN
 * is MRN-<label> and the e-mail is named after it. `overrides` set what a test looks for afterwards.
 */
export function patientRegistration(label: string, overrides: Partial<RegisterPatientInput> = {}): RegisterPatientInput {
  return {
    facilityId: "fac-0001",
    givenName: "Robin",
    familyName: "Tester",
    sex: "other",
    birthDate: "1990-05-06",
    addressLine: "1 Test Way",
    city: "Springfield",
    region: "IL",
    postalCode: "62701",
    mrn: `MRN-${label}`,
    nationalId: "999-00-0001",
    phone: "555-0100-0000",
    email: `${label.toLowerCase()}@example.org`,
    ...overrides,
  };
}

/** A person whose clear values are all rare words, so a test can prove that none of them shows where PHI is masked. */
export const MASKED_PATIENT = {
  givenName: "Zelda",
  familyName: "Quartermain",
  sex: "female",
  birthDate: "1981-02-03",
  addressLine: "7 Hidden Lane",
  city: "Riverton",
  postalCode: "62001",
  nationalId: "999-12-3456",
  phone: "555-0199-0000",
} satisfies Partial<RegisterPatientInput>;

/** An outpatient visit with `providerId` (who must work at `facilityId`). */
export function outpatientVisit(providerId: string, reason: string, facilityId = "fac-0001"): OpenEncounterInput {
  return { providerId, facilityId, kind: "outpatient", reason, note: "" };
}
