// Every API route of the portal with who may call it, declared once. A route of the portal's own is a
// policy action, "signed-in" or "public" (the sign-in flow, health, RUM from its own pages); a
// pass-through serves declared lab routes under a portal prefix, each keeping its own declared action.
// The route files serve these through app/portal-route.ts; a test checks every file is listed here.
import type { Action } from "../auth/policy.ts";
import { API } from "../contracts/api-catalog.ts";
import type { HttpMethod } from "../contracts/lab-route.ts";
import { DRILL_ENGINE_ROUTES as DRILLS } from "../contracts/routes/drill-engine-routes.ts";
import { EXERCISE_ROUTES } from "../contracts/routes/exercise-routes.ts";
import { GATEWAY_ROUTES } from "../contracts/routes/gateway-routes.ts";
import { SIMULATOR_ROUTES } from "../contracts/routes/simulator-routes.ts";
import type { PassThrough } from "../lab-client/lab-pass-through.ts";

export type RouteAccess = Action | "signed-in" | "public";

export interface PortalRoute {
  /** The route as its folder under app/ names it: /api/audit/export */
  route: string;
  methods: readonly HttpMethod[];
  access: RouteAccess;
  summary: string;
}

export interface PortalPassThrough extends PassThrough {
  route: string;
}

const own = <A extends RouteAccess>(route: string, methods: readonly HttpMethod[], access: A, summary: string): PortalRoute & { access: A } => ({
  route,
  methods,
  access,
  summary,
});

export const PORTAL_ROUTES = {
  audit: own("/api/audit", ["GET"], "audit.read", "A page of the audit search"),
  auditExport: own("/api/audit/export", ["GET"], "audit.read", "The audit search as CSV"),
  mcp: own("/api/mcp", ["GET", "POST", "DELETE"], "ops.read", "The lab's MCP server for agents on call (Streamable HTTP; ?writes=on to act)"),
  health: own("/api/health", ["GET"], "public", "The portal and its databases answer"),
  // A RUM collector answers browsers that have not signed in: it takes the portal's own pages only (same origin).
  rum: own("/api/rum", ["POST"], "public", "The pages' Grafana Faro payloads"),
  auth: own("/api/auth/[...nextauth]", ["GET", "POST"], "public", "Sign-in (Auth.js)"),
  signOut: own("/sign-out", ["POST"], "public", "Sign out, from the portal's own pages"),
} as const;

export const PORTAL_PASS_THROUGHS = {
  drills: {
    route: "/api/drills/[...path]",
    portalPrefix: "/api/drills",
    labPrefix: "/_lab/drills",
    process: "drill-engine",
    passes: [DRILLS.drillCatalog, DRILLS.dryRun, DRILLS.launchDrill, DRILLS.drillRuns, DRILLS.drillRun, DRILLS.abortDrill, DRILLS.drillEmergencyStop],
  },
  scenarios: {
    route: "/api/scenarios/[...path]",
    portalPrefix: "/api/scenarios",
    labPrefix: "/_lab/scenarios",
    process: "drill-engine",
    passes: [DRILLS.scenarioCatalog, DRILLS.startScenario, DRILLS.scenarioRuns, DRILLS.scenarioRun, DRILLS.stopScenario, DRILLS.scenarioNarrative],
  },
  exercises: {
    route: "/api/exercises/[...path]",
    portalPrefix: "/api/exercises",
    labPrefix: "/_lab/exercises",
    process: "drill-engine",
    passes: Object.values(EXERCISE_ROUTES),
  },
  // The SLO detail charts refresh from it.
  slos: {
    route: "/api/slos/[...path]",
    portalPrefix: "/api/slos",
    labPrefix: "/_lab/slos",
    process: "gateway",
    passes: [GATEWAY_ROUTES.sloHistory],
  },
  traffic: {
    route: "/api/traffic",
    portalPrefix: "/api/traffic",
    labPrefix: "/_lab/traffic",
    process: "simulator",
    passes: [SIMULATOR_ROUTES.traffic, SIMULATOR_ROUTES.startTraffic, SIMULATOR_ROUTES.stopTraffic],
  },
  // A record, its encounters and claims: the services decide what each role sees; the portal adds nothing and drops nothing.
  patients: {
    route: "/api/patients/[...path]",
    portalPrefix: "/api/patients",
    labPrefix: "/patients",
    process: "gateway",
    passes: [API.patient, API.encounters, API.patientClaims],
  },
} as const satisfies Record<string, PortalPassThrough>;
