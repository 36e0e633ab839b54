// Persona journeys: what a persona is trying to get done, the unit the lab's SLOs are written for. The
// gateway counts each request towards the journey of its caller's role and API action (server side); the
// simulator reports whole journeys as the user saw them (client side).
import type { Action } from "../auth/policy.ts";
import type { Role } from "../auth/roles.ts";

export interface Journey {
  id: string;
  persona: Role;
  description: string;
  /** The API actions whose requests count towards the journey when this persona makes them. */
  actions: readonly Action[];
  /** Counted by a probe of the gateway's instead of from requests: no simulator flow walks it. */
  probed?: true;
}

export const JOURNEYS: readonly Journey[] = [
  { id: "patient/view-record", persona: "patient", description: "A patient reads their record and encounters", actions: ["patient.read", "encounter.read"] },
  { id: "patient/view-claims", persona: "patient", description: "A patient follows their claims", actions: ["claim.read"] },
  {
    id: "clinician/find-patient",
    persona: "clinician",
    description: "A clinician finds a patient and reads the chart",
    actions: ["patient.search", "patient.read", "encounter.read"],
  },
  {
    id: "clinician/register-patient",
    persona: "clinician",
    description: "A clinician registers a patient or corrects demographics",
    actions: ["patient.register", "patient.update"],
  },
  {
    id: "clinician/record-diagnosis",
    persona: "clinician",
    description: "A clinician opens an encounter, records diagnoses and procedures, closes it",
    actions: ["encounter.open", "diagnosis.record", "procedure.record", "encounter.close"],
  },
  {
    id: "clinician/prescribe",
    persona: "clinician",
    description: "A clinician prescribes or discontinues a medication",
    actions: ["medication.prescribe", "medication.discontinue"],
  },
  {
    id: "billing/work-claims",
    persona: "billing",
    description: "A billing admin builds and submits claims",
    actions: ["claim.read", "claim.create", "claim.submit"],
  },
  {
    id: "billing/adjudicate",
    persona: "billing",
    description: "A billing admin adjudicates, pays or denies claims",
    actions: ["claim.adjudicate", "claim.pay", "claim.deny"],
  },
  {
    // The claims pipeline dashboard reads the read models: what it shows is as fresh as they are. No request
    // says so (a stale dashboard answers fast and 200), so the gateway probes the pipeline every 10 s.
    id: "billing/watch-pipeline",
    persona: "billing",
    description: "A billing admin watches the claims pipeline, whose read models must hold every change older than 10 s",
    actions: [],
    probed: true,
  },
  {
    id: "sre/inspect-records",
    persona: "sre",
    description: "An SRE inspects masked records while investigating",
    actions: ["patient.search", "patient.read", "encounter.read", "claim.read"],
  },
];

export const JOURNEY_IDS = new Set(JOURNEYS.map((j) => j.id));
/** The journeys people walk (the simulator's users among them), not a probe's. */
export const WALKED_JOURNEY_IDS = new Set(JOURNEYS.filter((j) => !j.probed).map((j) => j.id));

const byRoleAndAction = new Map<string, string>();
for (const journey of JOURNEYS) {
  for (const action of journey.actions) {
    const key = `${journey.persona} ${action}`;
    // The first journey listed claims a shared action (a clinician reading a patient is finding one).
    if (!byRoleAndAction.has(key)) byRoleAndAction.set(key, journey.id);
  }
}

/** The journey a request of this role and action belongs to, or null when it is part of none. */
export function journeyOf(role: Role, action: Action): string | null {
  return byRoleAndAction.get(`${role} ${action}`) ?? null;
}
