// The routes every lab process serves (probes and metrics, without a token) and those of the clinical and
// billing services beside their API: the fault switch.
import { FaultRulesInput, type FaultRule } from "../../faults/fault-rules.ts";
import { type LabProcess, route } from "../lab-route.ts";

/** The probes and metrics of a process. */
export const probeRoutes = (process: LabProcess) => ({
  healthz: route<{ status: "ok"; service: string }>()({ process, method: "GET", path: "/healthz", action: "public", summary: "Alive" }),
  readyz: route<{ status: string; service: string }>()({
    process,
    method: "GET",
    path: "/readyz",
    action: "public",
    summary: "Ready to serve (its databases and dependencies answer)",
  }),
  metrics: route<string>()({ process, method: "GET", path: "/metrics", action: "public", summary: "Prometheus metrics" }),
});

type Faults = { service: string; rules: FaultRule[] };

/** A service's fault switch (the supervisor sets it with a deadline; the drills through the supervisor). */
export const faultSwitchRoutes = (process: "clinical" | "billing") => ({
  faults: route<Faults>()({ process, method: "GET", path: "/_lab/faults", action: "fault.switch", summary: "The service's fault rules" }),
  setFaults: route<Faults>()({
    process,
    method: "PUT",
    path: "/_lab/faults",
    action: "fault.switch",
    body: FaultRulesInput,
    summary: "Replace the service's fault rules",
  }),
  clearFaults: route<Faults>()({ process, method: "DELETE", path: "/_lab/faults", action: "fault.switch", summary: "Remove the service's fault rules" }),
});
