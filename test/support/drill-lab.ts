// A whole lab but the portal (its build is too slow for tests) under the real supervisor, seeded, with
// tokens and the calls drill tests make: the drill engine's API, the simulator measuring patients' record
// reads, fault switches. Each test file starts its own on ports of its own.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type SupervisedLab, startLabSupervisor } from "../../backend-services/supervisor/supervise-lab.ts";
import { issueLabToken, labSigningKey } from "../../lib/auth/tokens.ts";
import type { LabDatabases } from "../../lib/data/lab-databases.ts";
import { journeyFlows } from "../../lib/simulator/journey-flows.ts";
import { type SimulationCast, loadSimulationCast } from "../../lib/simulator/simulation-cast.ts";
import { Simulation, type SimulationSnapshot } from "../../lib/simulator/simulation-run.ts";
import type { TrafficProfileSpec } from "../../lib/simulator/traffic-profile.ts";
import { labProcesses } from "../../lib/supervisor/lab-processes.ts";
import { testLabEnv } from "./lab-ports.ts";
import { openLabFromEnv, repoRoot } from "./test-labs.ts";

export type DrillRunView = {
  id: string;
  status: string;
  rollback: string;
  kept: boolean;
  abortReason: string | null;
  steps: { target: string | null; appliedAt: string | null; revertedAt: string | null }[];
  deadlineAt: string;
  traceId: string;
};

export interface DrillLab {
  ports: Record<"gateway" | "clinical" | "billing" | "supervisor" | "simulator" | "drills" | "projector", number>;
  env: Record<string, string>;
  dbs: LabDatabases;
  cast: SimulationCast;
  tokens: { instructor: string; sre: string; oncall: string };
  key: Uint8Array;
  call<T = Record<string, unknown>>(method: string, url: string, body?: unknown, token?: string): Promise<{ status: number; body: T }>;
  drillsUrl: string;
  runOf(id: string): Promise<DrillRunView>;
  /** Journeys of `mix` (patients reading their records unless given) at `ratePerSecond` for `seconds`. */
  measure(seconds: number, options?: { mix?: TrafficProfileSpec["mix"]; ratePerSecond?: number; requestTimeoutMs?: number }): Promise<SimulationSnapshot>;
  faultsOf(service: "clinical" | "billing" | "gateway"): Promise<unknown[]>;
  stop(): Promise<void>;
}

export async function startDrillLab(name: string, basePort: number, extraEnv: Record<string, string> = {}): Promise<DrillLab> {
  const secret = `${name}-secret-0123456789abcdef`;
  const key = labSigningKey(secret);
  const ports = {
    gateway: basePort,
    clinical: basePort + 1,
    billing: basePort + 2,
    supervisor: basePort + 3,
    simulator: basePort + 4,
    drills: basePort + 5,
    projector: basePort + 6,
  };
  const dir = mkdtempSync(join(tmpdir(), `pimlab-${name}-`));
  const env = testLabEnv(dir, secret, ports, { GATEWAY_RATE_PER_MINUTE: "1000000", LAB_TRAFFIC_PROFILE: "off", ...extraEnv });
  const { config, lab: dbs } = await openLabFromEnv(env, { patients: 120, seed: 5, facilities: 2 });
  const cast = await loadSimulationCast({ control: dbs.control.sql, shards: dbs.shards.map((s) => s.readSql) }, key);
  const tokens = {
    instructor: await issueLabToken(key, { userId: `usr-${name}-instructor`, role: "instructor", facilityId: null, patientId: null }),
    sre: await issueLabToken(key, { userId: `usr-${name}-sre`, role: "sre", facilityId: null, patientId: null }),
    oncall: await issueLabToken(key, { userId: `usr-${name}-oncall`, role: "oncall", facilityId: null, patientId: null }),
  };
  const lab: SupervisedLab = await startLabSupervisor({
    config,
    root: repoRoot,
    env,
    specs: labProcesses(config, repoRoot).filter((p) => p.name !== "portal"),
    stopGraceMs: 3000,
  });
  await lab.supervisor.waitUntilReady(60_000);
  const call: DrillLab["call"] = async (method, url, body, token = tokens.instructor) => {
    const res = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: await res.json() };
  };
  const drillsUrl = `http://127.0.0.1:${ports.drills}/_lab/drills`;
  return {
    ports,
    env,
    dbs,
    cast,
    tokens,
    key,
    call,
    drillsUrl,
    runOf: async (id) => (await call<DrillRunView>("GET", `${drillsUrl}/runs/${id}`)).body,
    measure: (seconds, options = {}) =>
      new Simulation({
        origin: `http://127.0.0.1:${ports.gateway}`,
        profile: {
          name: "measure",
          spec: {
            arrivals: { shape: "constant", ratePerSecond: options.ratePerSecond ?? 20 },
            spacing: "even",
            seed: 4,
            durationSeconds: seconds,
            thinkTime: { type: "fixed", ms: 0 },
            maxInFlightJourneys: 500,
            mix: options.mix ?? [{ journey: "patient/view-record", weight: 1 }],
          },
        },
        flows: journeyFlows(cast),
        requestTimeoutMs: options.requestTimeoutMs ?? 3000,
      }).done,
    faultsOf: async (service) => (await call<{ rules: unknown[] }>("GET", `http://127.0.0.1:${ports[service]}/_lab/faults`, undefined, tokens.sre)).body.rules,
    async stop() {
      await lab.stop();
      await dbs.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
