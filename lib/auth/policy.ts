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
  "patient.read": { patient: own, clinician: facility(), billing: any("billing"), sre: any("masked"), admin: any("masked") },
  "patient.update": { patient: own, clinician: facility() },
  "patient.search": { clinician: facility(), billing: any("billing"), sre: any("masked") },
  "encounter.open": { clinician: facility() },
  "encounter.close": { clinician: facility() },
  "encounter.read": { patient: own, clinician: facility(), billing: any("billing"), sre: any("masked") },
  "diagnosis.record": { clinician: facility() },
  "procedure.record": { clinician: facility() },
  "medication.prescribe": { clinician: facility() },
  "medication.discontinue": { clinician: facility() },
  "claim.create": { billing: any("billing") },
  "claim.submit": { billing: any("billing") },
  "claim.adjudicate": { billing: any("billing") },
  "claim.pay": { billing: any("billing") },
  "claim.deny": { billing: any("billing") },
  "claim.read": { patient: own, clinician: facility("billing"), billing: any("billing"), sre: any("masked") },
  // The persona dashboards' read models: counts and identifiers, no synthetic PHI.
  "dashboard.census": { clinician: facility(), sre: any("masked"), instructor: any("masked"), admin: any("masked") },
  "dashboard.claims": { billing: any("billing"), sre: any("masked"), instructor: any("masked"), admin: any("masked") },
  "dashboard.timeline": { patient: own, clinician: facility() },
  "reference.read": { patient: any(), clinician: any(), billing: any(), sre: any(), instructor: any(), admin: any() },
  "reference.write": { admin: any() },
  // The data jobs the supervisor runs: growing the lab with synthetic patients is the admin's; rebuilding
  // and comparing the read models is also an SRE's repair.
  "data.generate": { admin: any("masked") },
  "data.replay": { sre: any("masked"), admin: any("masked") },
  "audit.read": { sre: any("masked"), instructor: any("masked"), admin: any("masked") },
  "audit.verify": { sre: any("masked"), admin: any("masked") },
  "fault.switch": { sre: any("masked"), instructor: any("masked") },
  // Starting and stopping the persona traffic simulator: whoever runs drills and scenarios.
  "traffic.control": { sre: any("masked"), instructor: any("masked") },
  // Launching, aborting and emergency-stopping drills.
  "drill.run": { sre: any("masked"), instructor: any("masked") },
  "ops.read": { sre: any("masked"), instructor: any("masked"), admin: any("masked") },
  "events.redrive": { sre: any("masked"), admin: any("masked") },
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
