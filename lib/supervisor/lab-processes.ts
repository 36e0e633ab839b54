// The lab's processes as the supervisor starts them: how to spawn each, its port, and the URL that answers
// 2xx once it can serve. A list in start order; new processes are appended (labService for a backend one).
import { join } from "node:path";
import type { LabConfig } from "../config/index.ts";
import { LabError } from "../errors/index.ts";

export type FaultSwitchKind = "requests" | "events";

export interface LabProcessSpec {
  name: string;
  command: string;
  args: string[];
  port: number;
  readyUrl: string;
  /**
   * The fault switch the supervisor forwards to: a service's request faults (GET/PUT/DELETE /_lab/faults,
   * backend-services/common/fault-hooks.ts), the projector's event-pipeline faults (/_lab/events/faults), or none.
   */
  faultSwitch: FaultSwitchKind | null;
  /** Variables added to the lab's environment for this process only. */
  env: Record<string, string>;
}

/**
 * V8 flags for the lab's quiet processes (the simulator at the lab's demo rates, the drill engine): a 1 MB
 * young generation instead of 16 MB costs them nothing they would notice and saves ~45 MB of RSS each, which
 * the lab's 1.5 GB budget needs. The request path (gateway, services, projector) keeps V8's defaults.
 */
export const QUIET_PROCESS_FLAGS = ["--max-semi-space-size=1"];

/** A process of backend-services/<name>/main.ts. */
export function labService(
  root: string,
  name: string,
  port: number,
  options: { faultSwitch?: FaultSwitchKind; readyPath?: string; nodeFlags?: string[] } = {},
): LabProcessSpec {
  return {
    name,
    // Node with tsx as its loader, not the tsx wrapper, which would put a parent process in between: a
    // signal sent to the pid reaches the service itself.
    command: process.execPath,
    args: [...(options.nodeFlags ?? []), "--import", "tsx", join(root, "backend-services", name, "main.ts")],
    port,
    readyUrl: `http://127.0.0.1:${port}${options.readyPath ?? "/readyz"}`,
    faultSwitch: options.faultSwitch ?? null,
    env: {},
  };
}

export function portalProcess(root: string, port: number): LabProcessSpec {
  return {
    name: "portal",
    command: join(root, "node_modules", ".bin", "next"),
    args: ["start", "-p", String(port), "-H", "127.0.0.1"],
    port,
    readyUrl: `http://127.0.0.1:${port}/api/health`,
    faultSwitch: null,
    // next-auth builds its callback and sign-out URLs from it.
    env: { NEXT_TELEMETRY_DISABLED: "1", NEXTAUTH_URL: `http://127.0.0.1:${port}` },
  };
}

/** Every process of a running lab, services before the gateway that fronts them. */
export function labProcesses(config: LabConfig, root: string): LabProcessSpec[] {
  return [
    labService(root, "clinical", config.clinicalPort, { faultSwitch: "requests" }),
    labService(root, "billing", config.billingPort, { faultSwitch: "requests" }),
    labService(root, "projector", config.projectorPort, { faultSwitch: "events" }),
    labService(root, "gateway", config.gateway.port, { faultSwitch: "requests" }),
    // After the gateway: the simulator's traffic and the drill engine's SLO reads go through it.
    labService(root, "simulator", config.simulator.port, { nodeFlags: QUIET_PROCESS_FLAGS }),
    labService(root, "drill-engine", config.drills.port, { nodeFlags: QUIET_PROCESS_FLAGS }),
    portalProcess(root, config.portalPort),
  ];
}

/** Refuses a table two processes of which would share a name or a port (or take the supervisor's). */
export function checkProcessTable(specs: readonly LabProcessSpec[], supervisorPort: number): void {
  const names = new Set<string>();
  const ports = new Map<number, string>([[supervisorPort, "the supervisor"]]);
  for (const s of specs) {
    if (!/^[a-z][a-z0-9-]{0,39}$/.test(s.name)) throw new LabError("setup", `process name ${JSON.stringify(s.name)} must be lower-case letters, digits and -`);
    if (names.has(s.name)) throw new LabError("setup", `two lab processes are named ${s.name}`);
    const holder = ports.get(s.port);
    if (holder) throw new LabError("setup", `${s.name} and ${holder} both use port ${s.port}; give one another port`);
    names.add(s.name);
    ports.set(s.port, s.name);
  }
}

/** The named process, or a 404 naming the field the name came in. */
export function processNamed<T extends { name: string }>(specs: readonly T[], name: string, field = "name"): T {
  const found = specs.find((s) => s.name === name);
  if (!found) throw new LabError("not_found", `no lab process named ${JSON.stringify(name)}; the lab runs ${specs.map((s) => s.name).join(", ")}`, { field });
  return found;
}
