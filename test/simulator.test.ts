// The persona traffic simulator against the real gateway and services (each its own process): every
// journey of the lab walks its flow without a failure, the client-side SLIs reach the gateway's rollups,
// and a fault switched on in the clinical service shows in the simulator's measurements while it is on
// and is gone once it is switched off.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueLabToken, labSigningKey } from "../lib/auth/tokens.ts";
import { loadConfig } from "../lib/config/index.ts";
import { openLabDatabases } from "../lib/data/lab-databases.ts";
import { ClientSliReporter } from "../lib/simulator/client-sli-reporter.ts";
import { journeyFlows } from "../lib/simulator/journey-flows.ts";
import { type SimulationCast, loadSimulationCast } from "../lib/simulator/simulation-cast.ts";
import { Simulation } from "../lib/simulator/simulation-run.ts";
import type { TrafficProfileSpec } from "../lib/simulator/traffic-profile.ts";
import { JOURNEYS } from "../lib/slo/journeys.ts";
import { openTelemetryStore } from "../lib/telemetry/telemetry-store.ts";
import { testLabEnv } from "./support/lab-ports.ts";
import { processGroup } from "./support/process-group.ts";
import { openLabFromEnv } from "./support/test-labs.ts";
import { waitUntil } from "./support/wait-until.ts";

const SECRET = "simulator-test-secret-0123456789";
const base = 16_000 + (process.pid % 1000) * 6;
const ports = { gateway: base, clinical: base + 1, billing: base + 2, simulator: base + 3 };
const origin = `http://127.0.0.1:${ports.gateway}`;

const profile = (mix: TrafficProfileSpec["mix"], ratePerSecond: number, durationSeconds: number) => ({
  name: "test",
  spec: {
    arrivals: { shape: "constant" as const, ratePerSecond },
    spacing: "even" as const,
    seed: 9,
    durationSeconds,
    thinkTime: { type: "fixed" as const, ms: 20 },
    maxInFlightJourneys: 1000,
    mix,
  },
});

describe("the persona traffic simulator on a running lab", () => {
  const dir = mkdtempSync(join(tmpdir(), "pimlab-sim-"));
  const env = testLabEnv(dir, SECRET, ports, { GATEWAY_RATE_PER_MINUTE: "1000000", LAB_TRAFFIC_PROFILE: "off" });
  const processes = processGroup(env);
  let cast: SimulationCast;
  let sre: string;

  beforeAll(async () => {
    const { lab } = await openLabFromEnv(env, { patients: 300, seed: 21, facilities: 3 });
    cast = await loadSimulationCast({ control: lab.control.sql, shards: lab.shards.map((s) => s.readSql) }, labSigningKey(SECRET));
    await lab.close();
    await Promise.all((["clinical", "billing", "gateway"] as const).map((name) => processes.start(name, ports[name])));
    sre = await issueLabToken(labSigningKey(SECRET), { userId: "usr-sim-test-sre", role: "sre", facilityId: null, patientId: null });
  }, 120_000);
  afterAll(async () => {
    await processes.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("walks every journey of the lab without a failure and reports each as a client-side SLI", async () => {
    const slis = new ClientSliReporter({ origin, token: async () => sre, flushEveryMs: 1000 });
    const mix = JOURNEYS.filter((j) => !j.probed).map((j) => ({ journey: j.id, weight: 1 }));
    const sim = new Simulation({ origin, profile: profile(mix, 30, 8), flows: journeyFlows(cast), onJourneyEnd: (o) => slis.record(o) });
    const end = await sim.done;
    await slis.close();
    for (const j of end.journeys) {
      expect(j.started, j.journey).toBeGreaterThan(5);
      expect({ journey: j.journey, failures: j.failures, recent: j.recentFailures }).toEqual({
        journey: j.journey,
        failures: { "server-error": 0, "rate-limited": 0, rejected: 0, timeout: 0, network: 0 },
        recent: [],
      });
    }
    expect(end.total.started).toBe(240);
    expect(slis.sent).toBe(240);
    // Record-diagnosis journeys wrote encounters the billing journeys could claim: the flows feed each other.
    expect(end.journeys.find((j) => j.journey === "clinician/record-diagnosis")!.requests).toBeGreaterThanOrEqual(4 * 20);

    // The gateway wrote them into the client-side rollups (it flushes every 10 s).
    const store = await openTelemetryStore(loadConfig(env));
    try {
      await waitUntil(async () => {
        const rows = await store.query<{ total: number }>(`SELECT SUM("total") AS "total" FROM "sli_minutes" WHERE "source" = 'client'`);
        return Number(rows[0]?.total ?? 0) === 240;
      }, 20_000);
    } finally {
      await store.close();
    }
  }, 60_000);

  it("registers new patients without a conflict when a profile runs again with the same seed (a warm-up, then the counted traffic)", async () => {
    const mix = [{ journey: "clinician/register-patient", weight: 1 }];
    for (const run of ["warm-up", "counted"]) {
      const end = await new Simulation({ origin, profile: profile(mix, 20, 1), flows: journeyFlows(cast) }).done;
      const journey = end.journeys.find((j) => j.journey === "clinician/register-patient")!;
      expect(journey.started, run).toBe(20);
      expect({ run, failures: journey.failures, recent: journey.recentFailures }).toEqual({
        run,
        failures: { "server-error": 0, "rate-limited": 0, rejected: 0, timeout: 0, network: 0 },
        recent: [],
      });
    }
  }, 60_000);

  it("shows a fault in the clinical service while it is on, and not after it is switched off", async () => {
    const view = [{ journey: "patient/view-record", weight: 1 }];
    const faults = `http://127.0.0.1:${ports.clinical}/_lab/faults`;
    const on = await fetch(faults, {
      method: "PUT",
      headers: { authorization: `Bearer ${sre}`, "content-type": "application/json" },
      body: JSON.stringify({
        rules: [
          {
            id: "record-reads-fail",
            match: { routes: ["/patients/:patientId"], methods: ["GET"] },
            effect: { kind: "error", status: 503, rate: 0.5 },
            durationSeconds: 60,
          },
        ],
      }),
    });
    expect(on.status, await on.clone().text()).toBe(200);
    const during = await new Simulation({ origin, profile: profile(view, 40, 3), flows: journeyFlows(cast) }).done;
    expect(during.total.failures["server-error"]).toBeGreaterThan(during.total.started * 0.3);
    expect(during.total.failures["server-error"]).toBeLessThan(during.total.started * 0.7);

    expect((await fetch(faults, { method: "DELETE", headers: { authorization: `Bearer ${sre}` } })).status).toBe(200);
    const after = await new Simulation({ origin, profile: profile(view, 40, 3), flows: journeyFlows(cast) }).done;
    expect(after.total.failed).toBe(0);
    expect(after.total.succeeded).toBe(120);
  }, 60_000);

  it("runs a profile in the simulator process when an instructor starts it, reports its progress, and stops it on request", async () => {
    await processes.start("simulator", ports.simulator);
    const api = `http://127.0.0.1:${ports.simulator}/_lab/traffic`;
    const key = labSigningKey(SECRET);
    const instructor = await issueLabToken(key, { userId: "usr-sim-instructor", role: "instructor", facilityId: null, patientId: null });
    const clinician = await issueLabToken(key, { userId: "usr-sim-clinician", role: "clinician", facilityId: "fac-0001", patientId: null });
    const put = (token: string | null, body: unknown) =>
      fetch(api, {
        method: "PUT",
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), "content-type": "application/json" },
        body: JSON.stringify(body),
      });

    expect((await put(null, { profile: "steady-demo" })).status).toBe(401);
    expect((await put(clinician, { profile: "steady-demo" })).status).toBe(403);
    const unknown = await put(instructor, { profile: "no-such-profile" });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { detail: string }).detail).toMatch(/no traffic profile "no-such-profile"/);
    const bad = await put(instructor, { profile: "steady-demo", durationSeconds: -5 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("durationSeconds");

    const started = await put(instructor, { profile: "billing-burst", durationSeconds: 120 });
    expect(started.status, await started.clone().text()).toBe(200);
    const { run } = (await started.json()) as { run: { runId: string; profile: string; state: string } };
    expect(run).toMatchObject({ profile: "billing-burst", state: "running" });

    type Status = {
      running: { runId: string; startedBy: string; total: { started: number; succeeded: number; failed: number } } | null;
      recent: { runId: string; state: string }[];
    };
    let status: Status | undefined;
    await waitUntil(async () => {
      status = (await (await fetch(api, { headers: { authorization: `Bearer ${sre}` } })).json()) as Status;
      return (status.running?.total.succeeded ?? 0) >= 20;
    }, 20_000);
    expect(status!.running).toMatchObject({ runId: run.runId, startedBy: "usr-sim-instructor", total: { failed: 0 } });
    expect((await fetch(api, { headers: { authorization: `Bearer ${clinician}` } })).status).toBe(403);

    const stopped = await fetch(api, { method: "DELETE", headers: { authorization: `Bearer ${sre}` } });
    expect(((await stopped.json()) as { run: { state: string } }).run.state).toBe("stopped");
    status = (await (await fetch(api, { headers: { authorization: `Bearer ${sre}` } })).json()) as Status;
    expect(status.running).toBeNull();
    expect(status.recent[0]).toMatchObject({ runId: run.runId, state: "stopped" });

    // Who started and stopped the traffic is in the lab's control audit chain.
    const lab = await openLabDatabases(loadConfig(env));
    try {
      const entries = await lab.control.sql.query<{ action: string; actorId: string }>(
        `SELECT "action", "actorId" FROM "audit_entries" WHERE "entityId" = ? ORDER BY "sequence"`,
        [run.runId],
      );
      expect(entries).toEqual([
        { action: "traffic.start", actorId: "usr-sim-instructor" },
        { action: "traffic.stop", actorId: "usr-sim-test-sre" },
      ]);
    } finally {
      await lab.close();
    }
  }, 90_000);

  it("warms every journey up before its counted traffic starts: warm-up requests counted apart, the start on the control timeline", async () => {
    const port = base + 4;
    await processes.start("simulator", port, { SIMULATOR_PORT: String(port), LAB_TRAFFIC_PROFILE: "steady-demo", LAB_WARMUP_SECONDS: "3" });
    const api = `http://127.0.0.1:${port}/_lab/traffic`;
    type Status = { running: { profile: string } | null; warmingUp: { profile: string; seconds: number } | null };
    const status = async () => (await (await fetch(api, { headers: { authorization: `Bearer ${sre}` } })).json()) as Status;
    await waitUntil(async () => (await status()).warmingUp !== null, 20_000);
    expect(await status()).toMatchObject({ running: null, warmingUp: { profile: "steady-demo", seconds: 3 } });
    await waitUntil(async () => (await status()).running?.profile === "steady-demo", 20_000);
    expect((await status()).warmingUp).toBeNull();

    const metrics = await (await fetch(`${origin}/metrics`)).text();
    const warmed = [...metrics.matchAll(/^pimlab_warmup_requests_total\{[^}]*outcome="success"[^}]*\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
    expect(warmed).toBeGreaterThan(0);
    const lab = await openLabDatabases(loadConfig(env));
    try {
      const [start] = await lab.control.sql.query<{ title: string; kind: string; endAt: unknown }>(
        `SELECT "title", "kind", "endAt" FROM "annotations" WHERE "kind" = 'lab-start' ORDER BY "at" DESC LIMIT 1`,
      );
      expect(start?.title).toMatch(/^traffic warm-up: [1-9]\d* warm-up journeys in 3 s, not counted toward the SLOs$/);
      expect(start?.endAt).not.toBeNull();
    } finally {
      await lab.close();
    }
    await fetch(api, { method: "DELETE", headers: { authorization: `Bearer ${sre}` } });
  }, 90_000);

  it("gives traffic asked for during the warm-up at once: the warm-up ends and the lab's own start yields to it", async () => {
    const port = base + 5;
    await processes.start("simulator", port, { SIMULATOR_PORT: String(port), LAB_TRAFFIC_PROFILE: "steady-demo", LAB_WARMUP_SECONDS: "60" });
    const api = `http://127.0.0.1:${port}/_lab/traffic`;
    const instructor = await issueLabToken(labSigningKey(SECRET), { userId: "usr-sim-early", role: "instructor", facilityId: null, patientId: null });
    type Status = { running: { profile: string; startedBy: string } | null; warmingUp: unknown };
    const status = async () => (await (await fetch(api, { headers: { authorization: `Bearer ${sre}` } })).json()) as Status;
    await waitUntil(async () => (await status()).warmingUp !== null, 20_000);
    const asked = Date.now();
    const started = await fetch(api, {
      method: "PUT",
      headers: { authorization: `Bearer ${instructor}`, "content-type": "application/json" },
      body: JSON.stringify({ profile: "peak-clinic" }),
    });
    expect(started.status).toBe(200);
    expect(Date.now() - asked).toBeLessThan(10_000); // well inside the 60 s warm-up and a caller's 10 s timeout
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await status()).toMatchObject({ running: { profile: "peak-clinic", startedBy: "usr-sim-early" }, warmingUp: null });
    await fetch(api, { method: "DELETE", headers: { authorization: `Bearer ${sre}` } });
  }, 90_000);
});
