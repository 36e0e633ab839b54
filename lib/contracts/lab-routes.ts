// Every route of every lab process, from their declarations: what each process serves (its own routes, its
// probes, a service's fault switch and API), for the servers that register them, the gateway and portal
// that route by them, and the tests that check them against the policy.
import { API_ROUTES } from "./api-catalog.ts";
import type { LabProcess, LabRoute } from "./lab-route.ts";
import { DRILL_ENGINE_ROUTES } from "./routes/drill-engine-routes.ts";
import { EXERCISE_ROUTES } from "./routes/exercise-routes.ts";
import { GATEWAY_ROUTES } from "./routes/gateway-routes.ts";
import { PROJECTOR_ROUTES } from "./routes/projector-routes.ts";
import { faultSwitchRoutes, probeRoutes } from "./routes/service-routes.ts";
import { SIMULATOR_ROUTES } from "./routes/simulator-routes.ts";
import { SUPERVISOR_ROUTES } from "./routes/supervisor-routes.ts";

export const PROCESSES: readonly LabProcess[] = ["gateway", "clinical", "billing", "projector", "simulator", "drill-engine", "supervisor"];

const OWN_ROUTES: Record<LabProcess, readonly LabRoute[]> = {
  gateway: [
    ...Object.values(GATEWAY_ROUTES),
    ...Object.values(faultSwitchRoutes("gateway")),
    ...API_ROUTES.map((r) => ({ ...r, process: "gateway" as const })),
  ],
  clinical: [...Object.values(faultSwitchRoutes("clinical")), ...API_ROUTES.filter((r) => r.process === "clinical")],
  billing: [...Object.values(faultSwitchRoutes("billing")), ...API_ROUTES.filter((r) => r.process === "billing")],
  projector: Object.values(PROJECTOR_ROUTES),
  simulator: Object.values(SIMULATOR_ROUTES),
  "drill-engine": [...Object.values(DRILL_ENGINE_ROUTES), ...Object.values(EXERCISE_ROUTES)],
  supervisor: Object.values(SUPERVISOR_ROUTES),
};

/** Every route a process serves, probes included. */
export function routesOf(process: LabProcess): LabRoute[] {
  return [...Object.values(probeRoutes(process)), ...OWN_ROUTES[process]];
}

export const routeKey = (r: Pick<LabRoute, "method" | "path">) => `${r.method} ${r.path}`;
