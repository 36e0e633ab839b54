// The rest of the drill catalog on a running lab (test/drills.test.ts has latency, error burst, relay
// pause, abort, emergency stop and the engine's death): a crash, a crash loop, a shard outage that fails only that
// shard's patients, a consumer stall that fills the dead letters, a traffic spike, a bad config rollout
// kept when nothing deviates and rolled back on request, a telemetry gap that hides a journey from its SLI,
// and a drill that starts on its schedule.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readShardMap } from "../lib/data/lab-databases.ts";
import { type DrillLab, type DrillRunView, startDrillLab } from "./support/drill-lab.ts";
import { waitUntil } from "./support/wait-until.ts";

describe("the drill catalog on a running lab", () => {
  let t: DrillLab;
  const launch = async (body: object) => {
    const res = await t.call<DrillRunView>("POST", `${t.drillsUrl}/runs`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const until = (id: string, status: string, ms = 30_000) => waitUntil(async () => (await t.runOf(id)).status === status, ms);
  /** The clinical service as the supervisor sees it. */
  const clinical = async () =>
    (
      await t.call<{ processes: { name: string; restarts: number; state: string; lastExit: { code: number | null } | null }[] }>(
        "GET",
        `http://127.0.0.1:${t.ports.supervisor}/_lab/processes`,
        undefined,
        t.tokens.sre,
      )
    ).body.processes.find((p) => p.name === "clinical")!;

  beforeAll(async () => {
    t = await startDrillLab("drill-catalog", 19_000 + (process.pid % 1000) * 7);
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
  });

  it("crashes a service: requests fail while the supervisor restarts it, and none after", async () => {
    const run = await launch({ drill: "service-crash", params: { service: "clinical" }, durationSeconds: 8 });
    const during = await t.measure(2);
    expect(during.total.failed).toBeGreaterThan(0);
    await until(run.id, "completed");
    // "After" is once the supervisor has it ready again: on a busy machine the restart can outlast the drill.
    await waitUntil(async () => (await clinical()).state === "ready", 20_000);
    expect(await clinical()).toMatchObject({ state: "ready", restarts: 1 });
    const after = await t.measure(2);
    expect(after.total.failed).toBe(0);
  }, 60_000);

  it("crash-loops a service: each start dies soon after it listens, restarts back off, and the rollback starts it clean", async () => {
    const before = (await clinical()).restarts;
    const run = await launch({ drill: "service-crash-loop", params: { service: "clinical", crashAfterSeconds: 2 }, durationSeconds: 60 });
    // The drill's own restart, then two crashes of their own (exit 1), each started again after a backoff.
    await waitUntil(async () => (await clinical()).restarts >= before + 3, 30_000);
    expect((await clinical()).lastExit).toMatchObject({ code: 1 });
    expect((await t.measure(2)).total.failed).toBeGreaterThan(0);
    const rolledBack = await t.call<DrillRunView>("POST", `${t.drillsUrl}/runs/${run.id}/abort`, {});
    expect(rolledBack.body).toMatchObject({ status: "aborted" });
    await waitUntil(async () => (await clinical()).state === "ready", 15_000);
    const restarts = (await clinical()).restarts;
    // Longer than a crash-looping start lives: a clean start stays up.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await clinical()).toMatchObject({ state: "ready", restarts });
    expect((await t.measure(2)).total.failed).toBe(0);
  }, 60_000);

  it("takes one shard's database out for writes: a session holds its lock, only that shard's patients' writes fail, and they come back after", async () => {
    const shardMap = await readShardMap(t.dbs.control.sql, 4);
    const run = await launch({ drill: "shard-outage", params: { shard: 1 }, durationSeconds: 14 });
    const sessions = () =>
      t.call<{ sessions: { shard: number }[] }>("GET", `http://127.0.0.1:${t.ports.supervisor}/_lab/shards/sessions`, undefined, t.tokens.sre);
    expect((await sessions()).body.sessions).toMatchObject([{ shard: 1 }]);
    // Diagnoses are writes; a locked shard's fail after the lock wait (3 s), so the run outlasts it, and the
    // users wait for the answer up to the gateway's 5 s deadline: each failure is the shard's own 503.
    const during = await t.measure(8, { mix: [{ journey: "clinician/record-diagnosis", weight: 1 }], ratePerSecond: 8, requestTimeoutMs: 5000 });
    const journey = during.journeys[0]!;
    const failedPatients = journey.recentFailures.map((m) => /\/patients\/(pat-[0-9a-f-]+)/.exec(m)?.[1]).filter(Boolean);
    expect(during.total.failed).toBeGreaterThan(0);
    // The other shards carry on. (The share that fails is the share of the journeys' picks on shard 1: 37 of
    // 64 with this cast and seed, so a bound on it tested the picks, not the outage.)
    expect(during.total.succeeded, JSON.stringify(journey)).toBeGreaterThan(0);
    expect(journey.failures, JSON.stringify(journey)).toMatchObject({ timeout: 0, network: 0, "rate-limited": 0 });
    expect(failedPatients.length).toBeGreaterThan(0);
    for (const patient of failedPatients) expect(shardMap.shardOf(patient!), patient).toBe(1);
    for (const failure of journey.recentFailures) expect(failure).toMatch(/: 503$/);
    await until(run.id, "completed");
    expect((await sessions()).body.sessions).toEqual([]);
    expect((await t.measure(2, { mix: [{ journey: "clinician/record-diagnosis", weight: 1 }], ratePerSecond: 8 })).total.failed).toBe(0);
  }, 60_000);

  it("stalls the consumer: failing events go to the dead letters while it runs, and no more after", async () => {
    const status = async () =>
      (await t.call<{ deadLetters: number; faults: unknown }>("GET", `http://127.0.0.1:${t.ports.projector}/_lab/events/status`, undefined, t.tokens.sre)).body;
    const before = (await status()).deadLetters;
    const run = await launch({ drill: "consumer-stall", params: { delayMs: 200, failRate: 1 }, durationSeconds: 8 });
    // Record-diagnosis journeys write encounters, diagnoses and procedures: events for the projector.
    await t.measure(2, { mix: [{ journey: "clinician/record-diagnosis", weight: 1 }], ratePerSecond: 5 });
    await waitUntil(async () => (await status()).deadLetters > before, 15_000);
    await until(run.id, "completed");
    expect((await status()).faults).toBeNull();
    const settled = (await status()).deadLetters;
    await t.measure(2, { mix: [{ journey: "clinician/record-diagnosis", weight: 1 }], ratePerSecond: 5 });
    await new Promise((r) => setTimeout(r, 2000));
    expect((await status()).deadLetters).toBe(settled);
  }, 50_000);

  it("spikes the traffic: the simulator runs the spike profile for the drill and stops it after", async () => {
    const traffic = async () =>
      (
        await t.call<{ running: { profile: string; total: { started: number } } | null }>(
          "GET",
          `http://127.0.0.1:${t.ports.simulator}/_lab/traffic`,
          undefined,
          t.tokens.sre,
        )
      ).body.running;
    const run = await launch({ drill: "traffic-spike", durationSeconds: 6 });
    await waitUntil(async () => ((await traffic())?.total.started ?? 0) > 20, 10_000);
    expect(await traffic()).toMatchObject({ profile: "traffic-spike" });
    await until(run.id, "completed");
    expect(await traffic(), JSON.stringify(await t.runOf(run.id))).toBeNull(); // there was no traffic before the drill
  }, 30_000);

  it("keeps a bad config rollout when nothing deviates, until it is rolled back on request", async () => {
    // The deviation it watches for: billing's adjudication journey burning a thousand times its budget.
    const run = await launch({
      drill: "bad-config-rollout",
      params: { service: "billing", errorRate: 0.01, addedLatencyMs: 10 },
      durationSeconds: 5,
      abortWhen: [{ slo: "billing-adjudicate-availability", burnRateAbove: 1000 }],
    });
    expect(run.rollback).toBe("on-deviation");
    await until(run.id, "completed");
    expect(await t.runOf(run.id)).toMatchObject({ kept: true });
    expect(await t.faultsOf("billing")).toHaveLength(2);
    // Another drill on billing waits for the kept change: one drill per target.
    expect((await t.call("POST", `${t.drillsUrl}/runs`, { drill: "error-burst", params: { service: "billing" }, durationSeconds: 10 })).status).toBe(409);
    const rolledBack = await t.call<DrillRunView>("POST", `${t.drillsUrl}/runs/${run.id}/abort`, {});
    expect(rolledBack.body).toMatchObject({ status: "aborted", kept: false, abortReason: expect.stringMatching(/^kept change rolled back by /) });
    expect(await t.faultsOf("billing")).toEqual([]);
  }, 30_000);

  it("blinds the gateway to a journey: its requests are served as ever, counted on no SLI while it runs, and counted again after", async () => {
    const counted = async () => {
      const res = await fetch(`http://127.0.0.1:${t.ports.gateway}/metrics`);
      const line = (await res.text())
        .split("\n")
        .find(
          (l) =>
            l.startsWith("pimlab_journey_requests_total{") &&
            l.includes('journey="clinician/record-diagnosis"') &&
            l.includes('source="server"') &&
            l.includes('outcome="success"'),
        );
      return Number(line?.split(" ").at(-1) ?? 0);
    };
    const diagnoses = { mix: [{ journey: "clinician/record-diagnosis", weight: 1 }], ratePerSecond: 5 };
    const run = await launch({ drill: "telemetry-gap", params: { journeys: ["clinician/record-diagnosis"] }, durationSeconds: 10 });
    expect(await t.faultsOf("gateway")).toHaveLength(4); // one rule per route of the journey
    const before = await counted();
    const during = await t.measure(3, diagnoses);
    expect(during.total.failed).toBe(0);
    expect(during.total.started).toBeGreaterThan(5);
    expect(await counted()).toBe(before);
    await until(run.id, "completed");
    expect(await t.faultsOf("gateway")).toEqual([]);
    await t.measure(2, diagnoses);
    expect(await counted()).toBeGreaterThan(before);
  }, 40_000);

  it("starts a scheduled drill at its time, not before", async () => {
    const at = new Date(Date.now() + 3000).toISOString();
    const run = await launch({ drill: "error-burst", params: { service: "billing", rate: 0.5 }, durationSeconds: 5, schedule: { at } });
    expect(run.status).toBe("scheduled");
    expect(await t.faultsOf("billing")).toEqual([]);
    await until(run.id, "running", 10_000);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(at) - 50);
    expect(await t.faultsOf("billing")).toHaveLength(1);
    await until(run.id, "completed", 15_000);
    expect(await t.faultsOf("billing")).toEqual([]);
  }, 40_000);
});
