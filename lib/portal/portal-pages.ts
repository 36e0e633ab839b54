// Every page of the portal with who may open it, declared once: a policy action (the role must hold a
// grant for it), "signed-in" (any persona; what the page shows is then the lab's to decide, record by
// record), or "public". Pages open through app/page-access.tsx, which reads this; a test checks that every
// page file is listed here and opens through it.
import type { Action } from "../auth/policy.ts";

export type PageAccess = Action | "signed-in" | "public";

export interface PortalPage {
  /** The page's route as its folder under app/ names it: /drills/[key] */
  route: string;
  access: PageAccess;
  /** What the page is, for the "not for your role" answer. */
  what: string;
  /** `what` is plural ("The audit logs are for ..."). */
  plural?: boolean;
}

const page = <A extends PageAccess>(route: string, access: A, what: string, more: Pick<PortalPage, "plural"> = {}): PortalPage & { access: A } => ({
  route,
  access,
  what,
  ...more,
});

export const PAGES = {
  overview: page("/", "public", "The lab overview"),
  signIn: page("/sign-in", "public", "Sign in"),
  me: page("/me", "signed-in", "Your session"),
  dashboard: page("/dashboard", "signed-in", "Your dashboard"),
  patient: page("/patients/[patientId]", "signed-in", "A patient's record"),
  slos: page("/slos", "ops.read", "The SLO board"),
  slo: page("/slos/[name]", "ops.read", "An SLO's detail"),
  drills: page("/drills", "controls.read", "Drills"),
  drillLaunch: page("/drills/[key]", "controls.read", "Drills"),
  drillRun: page("/drills/runs/[runId]", "controls.read", "A drill run"),
  scenarios: page("/scenarios", "controls.read", "Scenarios"),
  scenarioRun: page("/scenarios/[runId]", "controls.read", "A scenario's narrative"),
  traffic: page("/traffic", "controls.read", "The lab's traffic"),
  telemetry: page("/telemetry", "ops.read", "Telemetry"),
  trace: page("/telemetry/[traceId]", "ops.read", "Telemetry"),
  exercise: page("/exercise", "exercise.play", "The on-call exercise"),
  exercises: page("/exercises", "exercise.run", "Running exercises", { plural: true }),
  exerciseRun: page("/exercises/[runId]", "exercise.run", "An exercise run"),
  agents: page("/agents", "controls.read", "The agents' leaderboard"),
  agentRun: page("/agents/[runId]", "controls.read", "An agent's benchmark run"),
  agentExercise: page("/agents/[runId]/[exercise]", "controls.read", "An agent's exercise"),
  runbooks: page("/runbooks", "ops.read", "The runbooks", { plural: true }),
  runbook: page("/runbooks/[name]", "ops.read", "A runbook"),
  audit: page("/audit", "audit.read", "The audit logs", { plural: true }),
  admin: page("/admin", "reference.write", "The lab's administration"),
} as const satisfies Record<string, PortalPage>;
