// The routes every lab process serves (probes and metrics, without a token) and the fault switch the
// clinical and billing services and the gateway serve beside their API.
import { FaultRulesInput, type FaultRule } from "../../faults/fault-rules.ts";
import { type LabProcess, route, servedBy } from "../lab-route.ts";

/** The probes and metrics of a process. */
export const probeRoutes = (process: LabProcess) =>
  servedBy(process, {
    healthz: route<{ status: "ok"; service: string }>()({ at: "GET /healthz", action: "public", summary: "Alive" }),
    readyz: route<{ status: string; service: string }>()({
      at: "GET /readyz",
      action: "public",
      summary: "Ready to serve (its databases and dependencies answer)",
    }),
    metrics: route<string>()({ at: "GET /metrics", action: "public", summary: "Prometheus metrics" }),
  });

type Faults = { service: string; rules: FaultRule[] };

/** The processes with a switch of request fault rules: the services, and the gateway in front of them. */
export type FaultSwitchProcess = "clinical" | "billing" | "gateway";

/** A process's fault switch (the supervisor sets it with a deadline; the drills through the supervisor). */
export const faultSwitchRoutes = (process: FaultSwitchProcess) =>
  servedBy(process, {
    faults: route<Faults>()({ at: "GET /_lab/faults", action: "fault.switch", summary: "The service's fault rules" }),
    setFaults: route<Faults>()({
      at: "PUT /_lab/faults",
      action: "fault.switch",
      body: FaultRulesInput,
      summary: "Replace the service's fault rules",
    }),
    clearFaults: route<Faults>()({ at: "DELETE /_lab/faults", action: "config.rollback", summary: "Remove the service's fault rules" }),
  });
