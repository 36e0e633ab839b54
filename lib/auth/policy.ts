// Authorization as data (seed 000 "Security and Privacy"; FR-08.x): for each action, which roles may take
// it, over which scope, and which view of the data they get. `authorize` is the only reader; services call
// it where the data is (not only at the gateway).
import type { Actor, Role } from "./roles.ts";

export type Scope =
  | "any" // every record
  | "own-facility" // records of patients registered at the actor's facility
  | "own-record"; // the actor's own patient record

/** full: everything; billing: no clinical free text; masked: operational fields only (synthetic PHI hidden). */
export type View = "full" | "billing" | "masked";

export interface Grant {
  scope: Scope;
  view: View;
}

const any = (view: View = "full"): Grant => ({ scope: "any", view });
const facility = (view: View = "full"): Grant => ({ scope: "own-facility", view });
const own: Grant = { scope: "own-record", view: "full" };

export const POLICY = {
  "patient.register": { clinician: facility(), admin: any() },
  "patient.read": { patient: own, clinician: facility(), billing: any("billing"), sre: any("masked"), oncall: any("masked"), admin: any("masked") },
  "patient.update": { patient: own, clinician: facility() },
  "patient.search": { clinician: facility(), billing: any("billing"), sre: any("masked"), oncall: any("masked") },
  "encounter.open": { clinician: facility() },
  "encounter.close": { clinician: facility() },
  "encounter.read": { patient: own, clinician: facility(), billing: any("billing"), sre: any("masked"), oncall: any("masked") },
  "diagnosis.record": { clinician: facility() },
  "procedure.record": { clinician: facility() },
  "medication.prescribe": { clinician: facility() },
  "medication.discontinue": { clinician: facility() },
  "claim.create": { billing: any("billing") },
  "claim.submit": { billing: any("billing") },
  "claim.adjudicate": { billing: any("billing") },
  "claim.pay": { billing: any("billing") },
  "claim.deny": { billing: any("billing") },
  "claim.read": { patient: own, clinician: facility("billing"), billing: any("billing"), sre: any("masked"), oncall: any("masked") },
  // The persona dashboards' read models: counts and identifiers, no synthetic PHI.
  "dashboard.census": { clinician: facility(), sre: any("masked"), oncall: any("masked"), instructor: any("masked"), admin: any("masked") },
  "dashboard.claims": { billing: any("billing"), sre: any("masked"), oncall: any("masked"), instructor: any("masked"), admin: any("masked") },
  "dashboard.timeline": { patient: own, clinician: facility() },
  "reference.read": { patient: any(), clinician: any(), billing: any(), sre: any(), oncall: any(), instructor: any(), admin: any() },
  "reference.write": { admin: any() },
  // The data jobs the supervisor runs: growing the lab with synthetic patients is the admin's; rebuilding
  // and comparing the read models is also an SRE's repair.
  "data.generate": { admin: any("masked") },
  "data.replay": { sre: any("masked"), oncall: any("masked"), admin: any("masked") },
  "audit.read": { sre: any("masked"), oncall: any("masked"), instructor: any("masked"), admin: any("masked") },
  "audit.verify": { sre: any("masked"), admin: any("masked") },
  "fault.switch": { sre: any("masked"), instructor: any("masked") },
  // The levers an on-call person pulls, without seeing or setting faults: restart or resume a process, roll
  // a runtime configuration back (a service's fault rules, the event pipeline's settings, a crash loop),
  // stop the persona traffic.
  "process.restart": { sre: any("masked"), oncall: any("masked"), instructor: any("masked") },
  "config.rollback": { sre: any("masked"), oncall: any("masked"), instructor: any("masked") },
  "traffic.shed": { sre: any("masked"), oncall: any("masked"), instructor: any("masked") },
  // Starting and stopping the persona traffic simulator: whoever runs drills and scenarios.
  "traffic.control": { sre: any("masked"), instructor: any("masked") },
  // Launching, aborting and emergency-stopping drills.
  "drill.run": { sre: any("masked"), instructor: any("masked") },
  "ops.read": { sre: any("masked"), oncall: any("masked"), instructor: any("masked"), admin: any("masked") },
  // On-call exercises: the game master runs them (and sees everything); the player plays them.
  "exercise.run": { instructor: any("masked") },
  "exercise.play": { oncall: any("masked"), instructor: any("masked") },
  // What the lab's own controls are doing: drills, scenarios, the simulator's traffic, the faults and the
  // deadman's leases. The hidden part of an on-call exercise, so never the on-call player's (ADR 0023).
  "controls.read": { sre: any("masked"), instructor: any("masked"), admin: any("masked") },
  "events.redrive": { sre: any("masked"), oncall: any("masked"), admin: any("masked") },
  // The simulator reports its users' view of each journey as the instructor who runs it (or an SRE).
  "sli.ingest": { sre: any("masked"), instructor: any("masked"), admin: any("masked") },
} as const satisfies Record<string, Partial<Record<Role, Grant>>>;

export type Action = keyof typeof POLICY;
export const ACTIONS = Object.keys(POLICY) as Action[];

/** What a check is about: the patient whose data it touches (with that patient's home facility). */
export interface Target {
  patientId?: string;
  facilityId?: string;
}

export type Decision = { allowed: true; view: View; grant: Grant } | { allowed: false; reason: string };

/**
 * Whether the actor may see what the lab's controls are doing (drills, scenarios, faults, leases, the
 * simulator's traffic). Those who may not (the on-call player) get the lab's answers without them.
 */
export function seesControls(actor: Actor): boolean {
  return authorize(actor, "controls.read").allowed;
}

const ROLE_NOUN: Record<Role, string> = {
  patient: "a patient",
  clinician: "a clinician",
  billing: "a billing admin",
  sre: "an SRE",
  oncall: "an on-call engineer",
  instructor: "an instructor",
  admin: "an admin",
};

/** A role in words, for "you are signed in as an on-call engineer". */
export function roleWords(role: Role): string {
  return ROLE_NOUN[role];
}

const ROLE_NOUNS: Record<Role, string> = {
  patient: "patients",
  clinician: "clinicians",
  billing: "billing admins",
  sre: "SREs",
  oncall: "on-call engineers",
  instructor: "instructors",
  admin: "admins",
};

/** Who may take an action, in words for a refusal: "SREs, on-call engineers, instructors and admins". */
export function rolesAllowedWords(action: Action): string {
  const nouns = (Object.keys(ROLE_NOUNS) as Role[]).filter((r) => grantFor(r, action)).map((r) => ROLE_NOUNS[r]);
  return nouns.length <= 1 ? (nouns[0] ?? "nobody") : `${nouns.slice(0, -1).join(", ")} and ${nouns.at(-1)}`;
}

export function grantFor(role: Role, action: Action): Grant | undefined {
  return (POLICY[action] as Partial<Record<Role, Grant>>)[role];
}

export function authorize(actor: Actor, action: Action, target: Target = {}): Decision {
  const grant = grantFor(actor.role, action);
  if (!grant) return { allowed: false, reason: `role ${actor.role} may not ${action}` };
  switch (grant.scope) {
    case "any":
      return { allowed: true, view: grant.view, grant };
    case "own-facility":
      if (!actor.facilityId) return { allowed: false, reason: `${actor.role} ${actor.userId} has no facility` };
      if (target.facilityId !== undefined && target.facilityId !== actor.facilityId) {
        return { allowed: false, reason: `the patient is not registered at facility ${actor.facilityId}` };
      }
      return { allowed: true, view: grant.view, grant };
    case "own-record":
      if (!actor.patientId || (target.patientId !== undefined && target.patientId !== actor.patientId)) {
        return { allowed: false, reason: "a patient may only act on their own record" };
      }
      return { allowed: true, view: grant.view, grant };
  }
}
