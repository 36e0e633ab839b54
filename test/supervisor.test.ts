// The supervisor over real lab processes (clinical, billing and the gateway, each `node main.ts` as
// `npm run lab` starts them; the portal's build is too slow for this test): status with memory, a killed
// service restarted, a paused one resumed by the deadman at its deadline, a fault switch cleared at its
// deadline with the caller long gone, an emergency stop, authentication, and an audit entry for every act.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SupervisedLab, startLabSupervisor } from "../backend-services/supervisor/supervise-lab.ts";
import { controlAuditLog } from "../lib/audit/audit-logs.ts";
import { verifyAuditChain } from "../lib/audit/verify-chain.ts";
import { issueLabToken, labSigningKey } from "../lib/auth/tokens.ts";
import type { LabConfig } from "../lib/config/index.ts";
import type { LabDatabases } from "../lib/data/lab-databases.ts";
import { labProcesses } from "../lib/supervisor/lab-processes.ts";
import { testLabEnv } from "./support/lab-ports.ts";
import { openLabFromEnv, repoRoot } from "./support/test-labs.ts";
import { waitUntil } from "./support/wait-until.ts";

const SECRET = "integration-test-secret-0123456789";
const key = labSigningKey(SECRET);
const base = 17_000 + (process.pid % 1000) * 5;
const ports = { gateway: base, clinical: base + 1, billing: base + 2, supervisor: base + 3 };

type ProcessView = { name: string; pid: number; state: string; restarts: number; rssBytes: number; lastExit: { signal: string | null } | null };
type Status = { processes: ProcessView[]; totalRssBytes: number; memoryBudgetBytes: number; supervisor: { rssBytes: number } };

describe("the lab supervisor", () => {
  const dir = mkdtempSync(join(tmpdir(), "pimlab-supervisor-"));
  const env = testLabEnv(dir, SECRET, ports);
  let config: LabConfig;
  let lab: SupervisedLab;
  let dbs: LabDatabases;
  let sre: string;
  let patient: string;
  const url = `http://127.0.0.1:${ports.supervisor}`;

  const call = async (method: string, path: string, options: { token?: string | null; body?: unknown } = {}) => {
    const token = options.token === undefined ? sre : options.token;
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(options.body !== undefined ? { "content-type": "application/json" } : {}) },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const status = async () => (await call("GET", "/_lab/processes")).body as unknown as Status;
  const processOf = async (name: string) => (await status()).processes.find((p) => p.name === name)!;
  /** Waits until the process `before` shows is ready again under another pid: restarted by the supervisor or on request. */
  const readyInAnotherProcess = (before: ProcessView, what: string) =>
    waitUntil(
      async () => {
        const now = await processOf(before.name);
        return now.state === "ready" && now.pid !== before.pid;
      },
      20_000,
      what,
    );
  const answers = (port: number, path = "/healthz") =>
    fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(500) }).then(
      (r) => r.status,
      () => "no answer" as const,
    );

  beforeAll(async () => {
    ({ config, lab: dbs } = await openLabFromEnv(env));
    sre = await issueLabToken(key, { userId: "usr-test-sre", role: "sre", facilityId: null, patientId: null });
    patient = await issueLabToken(key, { userId: "usr-test-patient", role: "patient", facilityId: null, patientId: "pat-someone" });
    const specs = labProcesses(config, repoRoot).filter((p) => ["clinical", "billing", "gateway"].includes(p.name));
    lab = await startLabSupervisor({ config, root: repoRoot, env, specs, stopGraceMs: 3000 });
    await lab.supervisor.waitUntilReady(45_000);
  }, 60_000);
  afterAll(async () => {
    await lab?.stop();
    await dbs?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("lists every process ready with its memory, and the lab's total against the budget", async () => {
    const s = await status();
    expect(s.processes.map((p) => [p.name, p.state, p.restarts])).toEqual([
      ["clinical", "ready", 0],
      ["billing", "ready", 0],
      ["gateway", "ready", 0],
    ]);
    for (const p of s.processes) expect(p.rssBytes, p.name).toBeGreaterThan(20_000_000);
    expect(s.totalRssBytes).toBe(s.supervisor.rssBytes + s.processes.reduce((sum, p) => sum + p.rssBytes, 0));
    expect(s.memoryBudgetBytes).toBe(1_500_000_000);
  });

  it("answers 401 without a token, 403 to a patient, and names the field of a bad request", async () => {
    expect((await call("GET", "/_lab/processes", { token: null })).status).toBe(401);
    expect((await call("POST", "/_lab/processes/clinical/kill", { token: null })).status).toBe(401);
    expect((await call("GET", "/_lab/processes", { token: patient })).status).toBe(403);
    expect((await call("POST", "/_lab/processes/clinical/kill", { token: patient })).status).toBe(403);
    expect((await call("POST", "/_lab/emergency-stop", { token: patient })).status).toBe(403);
    expect((await call("POST", "/_lab/processes/clinical/pause", { body: {} })).body).toMatchObject({ status: 400, field: "deadlineSeconds" });
    expect((await call("POST", "/_lab/processes/clinical/pause", { body: { deadlineSeconds: 7200 } })).body).toMatchObject({
      status: 400,
      field: "deadlineSeconds",
    });
    expect((await call("POST", "/_lab/processes/kafka/kill")).body).toMatchObject({ status: 404, field: "name" });
    expect((await call("PUT", "/_lab/faults/kafka", { body: { rules: [] } })).body).toMatchObject({ status: 404, field: "service" });
    expect(
      (await call("PUT", "/_lab/faults/clinical", { body: { rules: [{ id: "x", effect: { kind: "error", status: 418, rate: 1 }, durationSeconds: 5 }] } }))
        .body,
    ).toMatchObject({ status: 400, field: "rules.0.effect.status" });
  });

  it("restarts a killed service, which is ready again with one restart", async () => {
    const before = await processOf("clinical");
    const killed = await call("POST", "/_lab/processes/clinical/kill");
    expect(killed.status).toBe(200);
    await readyInAnotherProcess(before, "clinical ready again");
    expect(await processOf("clinical")).toMatchObject({ restarts: 1, lastExit: { signal: "SIGKILL" } });
    expect(await answers(ports.clinical)).toBe(200);
  });

  it("pauses a service so it answers nothing, and the deadman resumes it at the deadline by itself", async () => {
    const paused = await call("POST", "/_lab/processes/billing/pause", { body: { deadlineSeconds: 2 } });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ process: { state: "paused" }, lease: { id: "pause:billing", takenBy: "usr-test-sre" } });
    expect(await answers(ports.billing)).toBe("no answer");
    expect((await processOf("billing")).state).toBe("paused");
    await waitUntil(async () => (await processOf("billing")).state === "ready", 5_000, "billing resumed");
    expect(await answers(ports.billing)).toBe(200);
    expect((await call("GET", "/_lab/leases")).body).toEqual({ leases: [] });
  });

  it("clears a fault switched through it at the deadline by itself, though the caller's token has expired", async () => {
    const shortLived = await issueLabToken(key, { userId: "usr-test-sre-gone", role: "sre", facilityId: null, patientId: null }, { ttlSeconds: 2 });
    const rule = { id: "all-errors", effect: { kind: "error", status: 503, rate: 1 }, durationSeconds: 3 };
    const set = await call("PUT", "/_lab/faults/clinical", { token: shortLived, body: { rules: [rule] } });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ service: "clinical", rules: [{ id: "all-errors" }], lease: { id: "faults:clinical", takenBy: "usr-test-sre-gone" } });
    expect(await answers(ports.clinical, "/patients?facilityId=fac-0001")).toBe(503);
    await waitUntil(async () => ((await call("GET", "/_lab/leases")).body.leases as unknown[]).length === 0, 8_000, "the fault lease reverted");
    expect(await answers(ports.clinical, "/patients?facilityId=fac-0001")).toBe(401); // the fault is gone: the route asks for a token
    const switches = await dbs.control.prisma.auditEntry.findMany({ where: { entityType: "FaultSwitch", entityId: "clinical" }, orderBy: { sequence: "asc" } });
    expect(switches.slice(-2).map((a) => [a.action, a.actorId])).toEqual([
      ["fault.switch-on", "usr-test-sre-gone"],
      ["fault.switch-off", "lab-supervisor"],
    ]);
  });

  it("resumes a paused process on request, ending its lease, and restarts a process gracefully on request", async () => {
    await call("POST", "/_lab/processes/gateway/pause", { body: { deadlineSeconds: 600 } });
    const resumed = await call("POST", "/_lab/processes/gateway/resume");
    expect(resumed.body).toMatchObject({ resumed: true, process: { state: "ready" } });
    expect((await call("POST", "/_lab/processes/gateway/resume")).body).toMatchObject({ resumed: false });
    expect((await call("GET", "/_lab/leases")).body).toEqual({ leases: [] });
    const before = await processOf("billing");
    const restarted = await call("POST", "/_lab/processes/billing/restart");
    expect(restarted.status).toBe(200);
    await readyInAnotherProcess(before, "billing ready after its restart");
    expect(await processOf("billing")).toMatchObject({ restarts: before.restarts + 1, lastExit: { signal: null } });
  });

  it("reverts everything on an emergency stop: paused processes resumed, every service's faults cleared", async () => {
    await call("PUT", "/_lab/faults/clinical", {
      body: { rules: [{ id: "slow", effect: { kind: "latency", distribution: { type: "fixed", ms: 300 } }, durationSeconds: 600 }] },
    });
    await call("POST", "/_lab/processes/gateway/pause", { body: { deadlineSeconds: 600 } });
    expect(((await call("GET", "/_lab/leases")).body.leases as { id: string }[]).map((l) => l.id).sort()).toEqual(["faults:clinical", "pause:gateway"]);
    const stop = await call("POST", "/_lab/emergency-stop");
    expect(stop.status).toBe(200);
    expect(stop.body).toMatchObject({ reverted: ["pause:gateway", "faults:clinical"], failed: [] });
    expect((await status()).processes.map((p) => p.state)).toEqual(["ready", "ready", "ready"]);
    expect((await call("GET", "/_lab/leases")).body).toEqual({ leases: [] });
    const faults = await fetch(`http://127.0.0.1:${ports.clinical}/_lab/faults`, { headers: { authorization: `Bearer ${sre}` } });
    expect(((await faults.json()) as { rules: unknown[] }).rules).toEqual([]);
  });

  it("left an audit entry for every act, with the actor, the process and the deadline, in a chain that verifies", async () => {
    const entries = await dbs.control.prisma.auditEntry.findMany({ where: { entityType: "LabProcess" }, orderBy: { sequence: "asc" } });
    const acts = entries.map((e) => [e.action, e.actorId, e.entityId]);
    expect(acts).toEqual([
      ["supervisor.kill", "usr-test-sre", "clinical"],
      ["supervisor.pause", "usr-test-sre", "billing"],
      ["supervisor.lease-revert", "lab-supervisor", "billing"],
      ["supervisor.faults-set", "usr-test-sre-gone", "clinical"],
      ["supervisor.lease-revert", "lab-supervisor", "clinical"],
      ["supervisor.pause", "usr-test-sre", "gateway"],
      ["supervisor.resume", "usr-test-sre", "gateway"],
      ["supervisor.resume", "usr-test-sre", "gateway"],
      ["supervisor.restart", "usr-test-sre", "billing"],
      ["supervisor.faults-set", "usr-test-sre", "clinical"],
      ["supervisor.pause", "usr-test-sre", "gateway"],
      ["supervisor.lease-revert", "lab-supervisor", "gateway"],
      ["supervisor.lease-revert", "lab-supervisor", "clinical"],
      ["supervisor.emergency-stop", "usr-test-sre", "lab"],
    ]);
    const pause = entries.find((e) => e.action === "supervisor.pause")!;
    expect(JSON.parse(pause.details)).toMatchObject({ deadlineSeconds: 2, deadline: expect.stringMatching(/^\d{4}-/) });
    expect(pause.requestId).toBeTruthy();
    expect((await verifyAuditChain(controlAuditLog(dbs), SECRET)).ok).toBe(true);
    expect(await dbs.control.prisma.annotation.count({ where: { kind: "supervisor" } })).toBe(entries.length);
  });

  it("stops every process on shutdown, leaving none behind", async () => {
    const pids = (await status()).processes.map((p) => p.pid);
    await lab.stop();
    const alive = pids.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    expect(alive).toEqual([]);
    expect(lab.supervisor.status().map((p) => p.state)).toEqual(["stopped", "stopped", "stopped"]);
  });
});
