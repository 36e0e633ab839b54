// Lab rows as FHIR R4 resources, so generated data can be loaded into a real FHIR server. Only tokens
// appear as identifiers; names and addresses are the synthetic ones.
import type { Claim, ClaimLine, Diagnosis, Encounter, Facility, Medication, Patient, Procedure, Provider } from "../data/prisma-clients.ts";

export type FhirResource = { resourceType: string; id: string } & Record<string, unknown>;

const SYSTEM = {
  token: "urn:pim-sre-lab:pseudonym",
  actCode: "http://terminology.hl7.org/CodeSystem/v3-ActCode",
  icd10: "http://hl7.org/fhir/sid/icd-10-cm",
  cpt: "http://www.ama-assn.org/go/cpt",
  medication: "urn:pim-sre-lab:medication",
  conditionClinical: "http://terminology.hl7.org/CodeSystem/condition-clinical",
  conditionVerification: "http://terminology.hl7.org/CodeSystem/condition-ver-status",
  conditionCategory: "http://terminology.hl7.org/CodeSystem/condition-category",
  claimType: "http://terminology.hl7.org/CodeSystem/claim-type",
  priority: "http://terminology.hl7.org/CodeSystem/processpriority",
  organizationType: "http://terminology.hl7.org/CodeSystem/organization-type",
};

const ref = (type: string, id: string) => ({ reference: `${type}/${id}` });
const money = (cents: number) => ({ value: cents / 100, currency: "USD" });
const iso = (d: Date) => d.toISOString();

const ENCOUNTER_CLASS: Record<string, { code: string; display: string }> = {
  outpatient: { code: "AMB", display: "ambulatory" },
  telehealth: { code: "VR", display: "virtual" },
  emergency: { code: "EMER", display: "emergency" },
  inpatient: { code: "IMP", display: "inpatient encounter" },
};

export function organizationResource(f: Facility): FhirResource {
  return {
    resourceType: "Organization",
    id: f.id,
    active: true,
    type: [{ coding: [{ system: SYSTEM.organizationType, code: "prov", display: "Healthcare Provider" }], text: f.kind }],
    name: f.name,
    address: [{ city: f.city, state: f.region, country: "US" }],
  };
}

export function practitionerResource(p: Provider): FhirResource {
  return {
    resourceType: "Practitioner",
    id: p.id,
    identifier: [{ system: `${SYSTEM.token}:npi`, value: p.npiToken }],
    active: true,
    name: [{ family: p.familyName, given: [p.givenName], prefix: ["Dr."] }],
    qualification: [{ code: { text: p.specialty } }],
  };
}

export function patientResource(p: Patient): FhirResource {
  return {
    resourceType: "Patient",
    id: p.id,
    identifier: [
      { use: "usual", system: `${SYSTEM.token}:mrn`, value: p.mrnToken },
      { use: "secondary", system: `${SYSTEM.token}:national-id`, value: p.nationalIdToken },
    ],
    active: true,
    name: [{ use: "official", family: p.familyName, given: [p.givenName] }],
    gender: p.sex === "female" || p.sex === "male" ? p.sex : "other",
    birthDate: iso(p.birthDate).slice(0, 10),
    address: [{ use: "home", line: [p.addressLine], city: p.city, state: p.region, postalCode: p.postalCode, country: "US" }],
    managingOrganization: ref("Organization", p.facilityId),
  };
}

export function encounterResource(e: Encounter): FhirResource {
  return {
    resourceType: "Encounter",
    id: e.id,
    status: e.status === "closed" ? "finished" : "in-progress",
    class: { system: SYSTEM.actCode, ...ENCOUNTER_CLASS[e.kind] },
    subject: ref("Patient", e.patientId),
    participant: [{ individual: ref("Practitioner", e.providerId) }],
    period: { start: iso(e.startedAt), ...(e.endedAt ? { end: iso(e.endedAt) } : {}) },
    reasonCode: [{ text: e.reason }],
    serviceProvider: ref("Organization", e.facilityId),
  };
}

export function conditionResource(d: Diagnosis): FhirResource {
  return {
    resourceType: "Condition",
    id: d.id,
    clinicalStatus: { coding: [{ system: SYSTEM.conditionClinical, code: "active" }] },
    verificationStatus: { coding: [{ system: SYSTEM.conditionVerification, code: "confirmed" }] },
    category: [{ coding: [{ system: SYSTEM.conditionCategory, code: "encounter-diagnosis" }] }],
    code: { coding: [{ system: SYSTEM.icd10, code: d.code, display: d.description }], text: d.description },
    subject: ref("Patient", d.patientId),
    encounter: ref("Encounter", d.encounterId),
    recordedDate: iso(d.recordedAt),
    recorder: ref("Practitioner", d.providerId),
  };
}

export function procedureResource(p: Procedure): FhirResource {
  return {
    resourceType: "Procedure",
    id: p.id,
    status: "completed",
    code: { coding: [{ system: SYSTEM.cpt, code: p.code, display: p.description }], text: p.description },
    subject: ref("Patient", p.patientId),
    encounter: ref("Encounter", p.encounterId),
    performedDateTime: iso(p.performedAt),
    performer: [{ actor: ref("Practitioner", p.providerId) }],
  };
}

export function medicationRequestResource(m: Medication): FhirResource {
  return {
    resourceType: "MedicationRequest",
    id: m.id,
    status: m.status === "active" ? "active" : "stopped",
    intent: "order",
    medicationCodeableConcept: { coding: [{ system: SYSTEM.medication, code: m.code, display: m.name }], text: m.name },
    subject: ref("Patient", m.patientId),
    encounter: ref("Encounter", m.encounterId),
    authoredOn: iso(m.prescribedAt),
    requester: ref("Practitioner", m.providerId),
    dosageInstruction: [{ text: `${m.dose} ${m.frequency}` }],
  };
}

export function claimResource(c: Claim, lines: readonly ClaimLine[], encounterKind: string): FhirResource {
  return {
    resourceType: "Claim",
    id: c.id,
    status: c.status === "draft" ? "draft" : "active",
    type: { coding: [{ system: SYSTEM.claimType, code: encounterKind === "inpatient" ? "institutional" : "professional" }] },
    use: "claim",
    patient: ref("Patient", c.patientId),
    created: iso(c.createdAt),
    insurer: { display: c.payer },
    provider: ref("Organization", c.facilityId),
    priority: { coding: [{ system: SYSTEM.priority, code: "normal" }] },
    insurance: [{ sequence: 1, focal: true, coverage: { display: c.payer } }],
    item: lines.map((l) => ({
      sequence: l.lineNumber,
      productOrService: { coding: [{ system: SYSTEM.cpt, code: l.code, display: l.description }] },
      quantity: { value: l.units },
      unitPrice: money(l.unitPriceCents),
      net: money(l.amountCents),
      encounter: [ref("Encounter", c.encounterId)],
    })),
    total: money(c.totalCents),
  };
}

/** One patient's resources as a FHIR transaction that a server applies whole (PUT keeps our ids). */
export function transactionBundle(resources: readonly FhirResource[]): FhirResource {
  return {
    resourceType: "Bundle",
    id: `bundle-${resources[0]?.id ?? "empty"}`,
    type: "transaction",
    entry: resources.map((resource) => ({ resource, request: { method: "PUT", url: `${resource.resourceType}/${resource.id}` } })),
  };
}
