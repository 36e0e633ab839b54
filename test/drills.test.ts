// Drills on a running lab: the real services, gateway, projector, simulator, drill engine and supervisor
// (each process as `npm run lab` starts them) with the persona traffic simulator measuring. Each drill's
// effect shows in the simulator's measurements while it runs and is gone after its rollback; an abort
// condition ends a drill by itself when the burn rate crosses it; the emergency stop reverts everything;
// and a drill engine killed mid-drill still leaves a clean lab at the deadline, because the supervisor
// keeps it. (test/drill-catalog.test.ts drives the other drills of the catalog.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueLabToken } from "../lib/auth/tokens.ts";
import { patientRegistration } from "./support/clinical-writes.ts";
import { type DrillLab, type DrillRunView as Run, startDrillLab } from "./support/drill-lab.ts";
import { waitUntil } from "./support/wait-until.ts";

describe("drills on a running lab", () => {
  let t: DrillLab;
  let ports: DrillLab["ports"];
  let gateway: string;
  let drills: string;
  let instructor: string;
  let sre: string;
  let key: Uint8Array;
  let dbs: DrillLab["dbs"];
  let cast: DrillLab["cast"];
  const call: DrillLab["call"] = (...args) => t.call(...args);
  const measure = (seconds: number) => t.measure(seconds);
  const runOf = (id: string) => t.runOf(id);
  const clinicalFaults = () => t.faultsOf("clinical");

  beforeAll(async () => {
    t = await startDrillLab("drills", 18_000 + (process.pid % 1000) * 7);
    ({ ports, drillsUrl: drills, dbs, cast, key } = t);
    ({ instructor, sre } = t.tokens);
    gateway = `http://127.0.0.1:${ports.gateway}`;
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
  });

  it("lists a dry run's exact targets and guardrails without touching the lab, and refuses what the guardrails forbid", async () => {
    const dry = await call<{ targets: { description: string; pid: number }[]; deadlineSeconds: number }>("POST", `${drills}/dry-run`, {
      drill: "service-latency",
      params: { service: "clinical", latency: { type: "fixed", ms: 300 } },
      durationSeconds: 60,
    });
    expect(dry.status).toBe(200);
    expect(dry.body.targets).toEqual([expect.objectContaining({ description: "add 300 ms to 100 % of clinical requests", pid: expect.any(Number) })]);
    expect(dry.body.deadlineSeconds).toBe(65);
    expect(await clinicalFaults()).toEqual([]);

    const tooLong = await call<{ field: string }>("POST", `${drills}/runs`, { drill: "service-hang", params: { service: "billing" }, durationSeconds: 5000 });
    expect([tooLong.status, tooLong.body.field]).toEqual([422, "durationSeconds"]);
    const noShard = await call<{ field: string }>("POST", `${drills}/runs`, { drill: "shard-outage", params: { shard: 9 }, durationSeconds: 30 });
    expect([noShard.status, noShard.body.field]).toEqual([422, "params.shard"]);
    const badParam = await call<{ field: string }>("POST", `${drills}/runs`, {
      drill: "error-burst",
      params: { service: "clinical", rate: 3 },
      durationSeconds: 30,
    });
    expect([badParam.status, badParam.body.field]).toEqual([400, "params.rate"]);
    const unknownSlo = await call<{ field: string }>("POST", `${drills}/runs`, {
      drill: "error-burst",
      params: { service: "clinical" },
      durationSeconds: 30,
      abortWhen: [{ slo: "nope", budgetBelow: 0.5 }],
    });
    expect([unknownSlo.status, unknownSlo.body.field]).toEqual([422, "abortWhen"]);
    expect(
      (
        await call(
          "POST",
          `${drills}/runs`,
          { drill: "error-burst", params: { service: "clinical" }, durationSeconds: 30 },
          await issueLabToken(key, { userId: "u", role: "clinician", facilityId: "fac-0001", patientId: null }),
        )
      ).status,
    ).toBe(403);
  });

  it("shows a latency drill in the simulator's latencies while it runs, and not after its rollback", async () => {
    const launched = await call<Run>("POST", `${drills}/runs`, {
      drill: "service-latency",
      params: { service: "clinical", latency: { type: "fixed", ms: 300 } },
      durationSeconds: 8,
    });
    expect(launched.status).toBe(201);
    const during = await measure(3);
    expect(during.total.requestMs.corrected.p50).toBeGreaterThanOrEqual(300);
    await waitUntil(async () => (await runOf(launched.body.id)).status === "completed", 20_000);
    const run = await runOf(launched.body.id);
    expect(run.steps[0]).toMatchObject({ target: "clinical", appliedAt: expect.any(String), revertedAt: expect.any(String) });
    // Every request through the fault took 300 ms or more; a busy machine may slow one of the others.
    const after = await measure(2);
    expect(after.total.requestMs.corrected.p99).toBeLessThan(300);
    expect(after.total.failed).toBe(0);
  }, 40_000);

  it("applies a step once its target answers again, instead of failing the drill on a target busy for a moment", async () => {
    const supervisor = `http://127.0.0.1:${ports.supervisor}/_lab/processes/clinical`;
    expect((await call("POST", `${supervisor}/pause`, { deadlineSeconds: 30 })).status).toBe(200);
    // The launch answers once its steps are applied. The first try fails after the supervisor's 3 s wait for
    // the frozen service; it answers again at 4 s, before the second try at 5 s.
    const launching = call<Run>("POST", `${drills}/runs`, {
      drill: "service-latency",
      params: { service: "clinical", latency: { type: "fixed", ms: 50 } },
      durationSeconds: 20,
    });
    const began = Date.now();
    await new Promise((r) => setTimeout(r, 4000));
    expect((await call("POST", `${supervisor}/resume`)).status).toBe(200);
    const launched = await launching;
    expect(Date.now() - began, "answered after a second try").toBeGreaterThan(4500);
    expect(launched.status).toBe(201);
    expect(await runOf(launched.body.id)).toMatchObject({ status: "running", steps: [{ target: "clinical", appliedAt: expect.any(String) }] });
    expect((await call("POST", `${drills}/runs/${launched.body.id}/abort`)).status).toBe(200);
    await waitUntil(async () => (await clinicalFaults()).length === 0, 10_000);
  }, 40_000);

  it("aborts an error burst by itself once the journey's burn rate crosses the threshold, and rolls it back", async () => {
    const launched = await call<Run>("POST", `${drills}/runs`, {
      drill: "error-burst",
      params: { service: "clinical", status: 503, rate: 1, routes: ["/patients/:patientId"] },
      durationSeconds: 120,
      abortWhen: [{ slo: "patient-view-record-availability", burnRateAbove: 14.4 }],
    });
    expect(launched.status).toBe(201);
    // Every patient's record read fails until the abort. The SLO engine counts whole minutes (like the
    // generated Prometheus rules), the gateway rolls its SLIs up every 10 s and the engine reads the SLOs
    // every 2 s: the abort comes within about 72 s, at the first minute boundary after the failures.
    const during = await measure(3);
    expect(during.total.failures["server-error"]).toBeGreaterThan(10);
    await waitUntil(async () => (await runOf(launched.body.id)).status === "aborted", 90_000).catch(async (err: Error) => {
      const slos = (await call<{ slos: { name: string; tiers: unknown[] }[] }>("GET", `${gateway}/_lab/slos`, undefined, sre)).body.slos;
      throw new Error(
        `${err.message}; run ${JSON.stringify(await runOf(launched.body.id))}; SLO ${JSON.stringify(slos?.find((x) => x.name === "patient-view-record-availability"))}`,
      );
    });
    const run = await runOf(launched.body.id);
    expect(run.abortReason).toMatch(/^patient-view-record-availability burns its budget [\d.]+x over the page-fast tier's short window \(abort above 14.4x\)$/);
    expect(run.steps[0]!.revertedAt).not.toBeNull();
    expect(await clinicalFaults()).toEqual([]);
    expect((await measure(2)).total.failed).toBe(0);

    // Every step is on the control timeline with the run's trace id.
    const entries = await dbs.control.sql.query<{ action: string; traceId: string }>(
      `SELECT "action", "traceId" FROM "audit_entries" WHERE "entityId" = ? ORDER BY "sequence"`,
      [run.id],
    );
    expect(entries.map((e) => e.action)).toEqual(["drill.start", "drill.apply", "drill.revert", "drill.abort"]);
    expect(new Set(entries.map((e) => e.traceId))).toEqual(new Set([run.traceId]));
  }, 130_000);

  it("reverts every running drill on emergency stop", async () => {
    const hang = await call<Run>("POST", `${drills}/runs`, { drill: "service-hang", params: { service: "billing" }, durationSeconds: 60 });
    const errors = await call<Run>("POST", `${drills}/runs`, { drill: "error-burst", params: { service: "clinical", rate: 1 }, durationSeconds: 60 });
    expect([hang.status, errors.status]).toEqual([201, 201]);
    const third = await call<{ field: string }>("POST", `${drills}/runs`, { drill: "service-latency", params: { service: "clinical" }, durationSeconds: 60 });
    expect(third.status).toBe(409); // at most two at once, and one drill per target
    expect(
      await fetch(`http://127.0.0.1:${ports.billing}/healthz`, { signal: AbortSignal.timeout(500) }).then(
        () => "answers",
        () => "hangs",
      ),
    ).toBe("hangs");

    const stop = await call<{ ended: string[] }>("POST", `${drills}/emergency-stop`, {});
    expect(stop.body.ended.sort()).toEqual([hang.body.id, errors.body.id].sort());
    expect((await runOf(hang.body.id)).status).toBe("aborted");
    expect(await fetch(`http://127.0.0.1:${ports.billing}/healthz`, { signal: AbortSignal.timeout(2000) }).then((r) => r.status)).toBe(200);
    expect(await clinicalFaults()).toEqual([]);
    expect((await call<{ leases: unknown[] }>("GET", `http://127.0.0.1:${ports.supervisor}/_lab/leases`, undefined, sre)).body.leases).toEqual([]);
  }, 30_000);

  it("still reverts at the deadline when the drill engine is killed mid-drill", async () => {
    const launched = await call<Run>("POST", `${drills}/runs`, { drill: "error-burst", params: { service: "clinical", rate: 1 }, durationSeconds: 5 });
    expect(launched.status).toBe(201);
    expect(await clinicalFaults()).toHaveLength(1);
    expect((await call("POST", `http://127.0.0.1:${ports.supervisor}/_lab/processes/drill-engine/kill`, { signal: "SIGKILL" }, sre)).status).toBe(200);
    // Nobody is left to roll the drill back but the supervisor, at the run's deadline (5 s + 5 s).
    await waitUntil(async () => (await clinicalFaults()).length === 0, 20_000);
    expect(Date.now()).toBeGreaterThanOrEqual(new Date(launched.body.deadlineAt).getTime() - 1000);
    // The restarted engine marks the run interrupted.
    await waitUntil(
      async () =>
        (
          await fetch(`${drills}/runs/${launched.body.id}`, { headers: { authorization: `Bearer ${instructor}` } }).then(
            (r) => (r.ok ? r.json() : null),
            () => null,
          )
        )?.status === "interrupted",
      30_000,
    );
  }, 60_000);

  it("backs the outboxes up during a relay pause and drains them once it is rolled back", async () => {
    const clinician = await issueLabToken(key, { userId: "usr-drill-clinician", role: "clinician", facilityId: cast.facilities[0]!.id, patientId: null });
    const backlog = async () =>
      (
        (await call<{ outboxBacklog: { unpublished: number }[] }>("GET", `http://127.0.0.1:${ports.projector}/_lab/events/status`, undefined, sre)).body
          .outboxBacklog ?? []
      ).reduce((a, b) => a + b.unpublished, 0);
    const launched = await call<Run>("POST", `${drills}/runs`, { drill: "relay-pause", durationSeconds: 6 });
    expect(launched.status, JSON.stringify(launched.body)).toBe(201);
    for (let n = 0; n < 4; n++) {
      const res = await fetch(`${gateway}/patients`, {
        method: "POST",
        headers: { authorization: `Bearer ${clinician}`, "content-type": "application/json" },
        body: JSON.stringify(patientRegistration(`DRILL-${n}`, { facilityId: cast.facilities[0]!.id })),
      });
      expect(res.status).toBe(201);
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(await backlog()).toBeGreaterThanOrEqual(4);
    await waitUntil(async () => (await runOf(launched.body.id)).status === "completed", 20_000);
    await waitUntil(async () => (await backlog()) === 0, 10_000);
  }, 40_000);
});
