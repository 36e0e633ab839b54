import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../test/support/free-port.ts";
import { type Actor } from "../auth/roles.ts";
import { issueLabToken, labSigningKey } from "../auth/tokens.ts";
import { migrate, migrationsDir, readMigrations } from "../data/migrations.ts";
import { type SqlDatabase, openSqlite } from "../data/sql-database.ts";
import type { LeaseClock } from "./fault-leases.ts";
import type { LabProcessSpec } from "./lab-processes.ts";
import { LAB_MEMORY_BUDGET_BYTES, LabControl, type RequestMeta } from "./lab-control.ts";
import { ProcessSupervisor } from "./process-supervisor.ts";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "pimlab-control-"));
const key = labSigningKey("unit-test-secret-0123456789");
const sre: Actor = { userId: "usr-sre", role: "sre", facilityId: null, patientId: null };
const meta: RequestMeta = { requestId: "req-supervisor-test", traceId: "4bf92f3577b34da6a3ce929d0e0e4736", traceparent: null };

// A service with a fault switch as backend-services/common/fault-hooks.ts serves it: SREs only, and it
// remembers who switched last.
const fixture = join(dir, "fault-service.mjs");
writeFileSync(
  fixture,
  `import { createServer } from "node:http";
let rules = []; let lastBy = null;
const sub = (auth) => { try { return JSON.parse(Buffer.from((auth ?? "").split(".")[1], "base64url").toString()); } catch { return {}; } };
createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    const send = (status, value) => { res.statusCode = status; res.setHeader("content-type", "application/json"); res.end(JSON.stringify(value)); };
    if (req.url === "/readyz") return send(200, { status: "ready" });
    const claims = sub(req.headers.authorization);
    if (req.method !== "GET" && claims.role !== "sre") return send(403, { status: 403, detail: "role " + claims.role + " may not fault.switch" });
    if (req.method === "PUT") { rules = JSON.parse(body).rules.map((r) => ({ ...r, expiresAt: new Date(Date.now() + r.durationSeconds * 1000) })); lastBy = claims.sub; }
    if (req.method === "DELETE") { rules = []; lastBy = claims.sub; }
    send(200, { service: process.argv[3], rules, lastBy });
  });
}).listen(Number(process.argv[2]), "127.0.0.1");
// A crash loop's setting, as backend-services/common/lab-server.ts honours it.
if (process.env.LAB_CRASH_AFTER_SECONDS) setTimeout(() => process.exit(1), Number(process.env.LAB_CRASH_AFTER_SECONDS) * 1000);
`,
);

async function service(name: string, faultSwitch: LabProcessSpec["faultSwitch"]): Promise<LabProcessSpec> {
  const port = await freePort();
  return { name, command: process.execPath, args: [fixture, String(port), name], port, readyUrl: `http://127.0.0.1:${port}/readyz`, faultSwitch, env: {} };
}

/** Lease deadlines on a clock the test moves; everything else runs on real time. */
function movableClock() {
  let offset = 0;
  let timers: { at: number; run: () => void }[] = [];
  const clock: LeaseClock = {
    now: () => Date.now() + offset,
    setTimer: (run, ms) => {
      const t = { at: Date.now() + offset + ms, run };
      timers.push(t);
      return t;
    },
    clearTimer: (t) => void (timers = timers.filter((x) => x !== t)),
  };
  return {
    clock,
    async advance(ms: number, control: LabControl) {
      offset += ms;
      for (const t of timers.filter((x) => x.at <= Date.now() + offset)) {
        timers = timers.filter((x) => x !== t);
        t.run();
      }
      await new Promise((r) => setImmediate(r));
      await control.leases.idle();
    },
  };
}

describe("the lab control", () => {
  let db: SqlDatabase;
  let supervisor: ProcessSupervisor;
  let control: LabControl;
  let clinical: LabProcessSpec;
  const time = movableClock();
  const notices: string[] = [];

  beforeAll(async () => {
    db = openSqlite(join(dir, "control.db"), "control");
    await migrate(db, readMigrations(migrationsDir(root, "sqlite", "control")));
    clinical = await service("clinical", "requests");
    supervisor = new ProcessSupervisor({ specs: [clinical, await service("gateway", null)], logDir: join(dir, "logs"), env: {}, cwd: dir, readyPollMs: 50 });
    control = new LabControl({ supervisor, control: db, tokenKey: key, clock: time.clock, notice: (l) => notices.push(l) });
    supervisor.subscribe(control.onProcessEvent);
    await supervisor.start();
    await supervisor.waitUntilReady(10_000);
  });
  afterAll(async () => {
    await control?.revertAllForShutdown();
    await supervisor?.stop();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const faults = async () => (await (await fetch(`http://127.0.0.1:${clinical.port}/_lab/faults`)).json()) as { rules: unknown[]; lastBy: string | null };
  const audit = () =>
    db.query<{ action: string; actorId: string; entityId: string; details: string; requestId: string | null }>(
      `SELECT "action", "actorId", "entityId", "details", "requestId" FROM "audit_entries" ORDER BY "sequence"`,
    );

  it("reports each process's state and memory, and the lab's total against the budget", () => {
    const status = control.status();
    expect(status.processes.map((p) => [p.name, p.state, p.restarts])).toEqual([
      ["clinical", "ready", 0],
      ["gateway", "ready", 0],
    ]);
    for (const p of status.processes) expect(p.rssBytes).toBeGreaterThan(1_000_000);
    expect(status.totalRssBytes).toBe(status.supervisor.rssBytes + status.processes.reduce((s, p) => s + p.rssBytes, 0));
    expect(status.memoryBudgetBytes).toBe(LAB_MEMORY_BUDGET_BYTES);
  });

  it("pauses a process until its deadline and resumes it by itself, auditing both", async () => {
    const paused = await control.pause(sre, "gateway", 30, meta);
    expect(paused.process.state).toBe("paused");
    expect(paused.lease).toMatchObject({ id: "pause:gateway", takenBy: "usr-sre" });
    await time.advance(29_000, control);
    expect(supervisor.statusOf("gateway").state).toBe("paused");
    await time.advance(1_000, control);
    expect(supervisor.statusOf("gateway").state).toBe("ready");
    expect(control.listLeases().leases).toEqual([]);
    const entries = (await audit()).slice(-2);
    expect(entries.map((e) => [e.action, e.actorId, e.entityId, e.requestId])).toEqual([
      ["supervisor.pause", "usr-sre", "gateway", meta.requestId],
      ["supervisor.lease-revert", "lab-supervisor", "gateway", null],
    ]);
    expect(JSON.parse(entries[0]!.details)).toMatchObject({ deadlineSeconds: 30, deadline: paused.lease.deadlineAt });
    expect(notices).toContain("pause:gateway reverted (deadline; taken by usr-sre)");
  });

  it("forwards a fault switch with the caller's token and clears it at the longest rule's end with its own", async () => {
    const token = `Bearer ${await issueLabToken(key, sre)}`;
    const rules = [
      { id: "slow", durationSeconds: 20 },
      { id: "errors", durationSeconds: 60 },
    ];
    const set = await control.setFaults(sre, "clinical", token, { rules }, meta);
    expect(set.rules.map((r) => r.id)).toEqual(["slow", "errors"]);
    // Deadline from the request's time; the lease is recorded a moment later on a busy machine.
    expect(new Date(set.lease!.deadlineAt).getTime() - new Date(set.lease!.takenAt).getTime()).toBeGreaterThan(59_900);
    expect(new Date(set.lease!.deadlineAt).getTime() - new Date(set.lease!.takenAt).getTime()).toBeLessThanOrEqual(60_000);
    expect(await faults()).toMatchObject({ lastBy: "usr-sre" });
    await time.advance(60_000, control);
    expect(await faults()).toEqual({ service: "clinical", rules: [], lastBy: "lab-supervisor" });
    expect((await audit()).slice(-2).map((e) => [e.action, e.actorId])).toEqual([
      ["supervisor.faults-set", "usr-sre"],
      ["supervisor.lease-revert", "lab-supervisor"],
    ]);
  });

  it("keeps a service's faults across a restart, with the time they have left, until their lease ends", async () => {
    const token = `Bearer ${await issueLabToken(key, sre)}`;
    await control.setFaults(sre, "clinical", token, { rules: [{ id: "bad-config", durationSeconds: 120 }] }, meta);
    await time.advance(30_000, control);
    await control.restart(sre, "clinical", meta);
    await supervisor.waitUntilReady(10_000);
    const again = async () => (await faults()).rules as { id: string; durationSeconds: number }[];
    for (let i = 0; i < 100 && (await again()).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const [kept] = await again();
    expect(kept?.id).toBe("bad-config");
    expect(kept?.durationSeconds).toBeGreaterThanOrEqual(88); // 120 s less the 30 s gone, and the restart's own
    expect(kept?.durationSeconds).toBeLessThanOrEqual(90);
    expect(await faults()).toMatchObject({ lastBy: "lab-supervisor" });
    await time.advance(90_000, control);
    expect((await faults()).rules).toEqual([]);
    // Once the lease is over, a restart starts the service without them.
    await control.restart(sre, "clinical", meta);
    await supervisor.waitUntilReady(10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect((await faults()).rules).toEqual([]);
  });

  it("passes a service's refusal back as its status, and refuses faults on a process without a switch", async () => {
    const clinician = `Bearer ${await issueLabToken(key, { userId: "usr-c", role: "clinician", facilityId: "fac-0001", patientId: null })}`;
    await expect(control.setFaults(sre, "clinical", clinician, { rules: [{ id: "slow", durationSeconds: 5 }] }, meta)).rejects.toMatchObject({
      status: 403,
      message: "clinical: role clinician may not fault.switch",
    });
    await expect(control.setFaults(sre, "gateway", clinician, { rules: [] }, meta)).rejects.toMatchObject({
      status: 404,
      field: "service",
      message: "gateway has no fault switch; these do: clinical",
    });
    await expect(control.pause(sre, "kafka", 5, meta)).rejects.toMatchObject({ status: 404, field: "name" });
    expect(await control.resume(sre, "gateway", meta)).toMatchObject({ resumed: false, process: { state: "ready" } });
    expect(control.listLeases().leases).toEqual([]);
  });

  it("reverts everything on an emergency stop: resumes paused processes and clears every service's faults", async () => {
    const token = `Bearer ${await issueLabToken(key, sre)}`;
    await control.setFaults(sre, "clinical", token, { rules: [{ id: "errors", durationSeconds: 600 }] }, meta);
    await control.pause(sre, "clinical", 600, meta);
    await control.pause(sre, "gateway", 600, meta);
    const result = await control.emergencyStop(sre, meta);
    expect(result).toEqual({ reverted: ["pause:clinical", "pause:gateway", "faults:clinical"], resumed: [], cleared: ["clinical"], failed: [] });
    expect(supervisor.status().map((p) => p.state)).toEqual(["ready", "ready"]);
    expect((await faults()).rules).toEqual([]);
    expect(control.listLeases().leases).toEqual([]);
    expect((await audit()).at(-1)).toMatchObject({ action: "supervisor.emergency-stop", actorId: "usr-sre", entityId: "lab" });
  });

  it("crash-loops a process until its deadline, then starts it clean; a rollback ends a crash loop too", async () => {
    const gateway = () => supervisor.statusOf("gateway");
    const before = gateway().restarts;
    const looped = await control.crashLoop(sre, "gateway", 1, 600, meta);
    expect(looped.lease).toMatchObject({ id: "crash-loop:gateway", kind: "crash-loop", takenBy: "usr-sre" });
    const end = Date.now() + 15_000;
    while (gateway().restarts < before + 3 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect(gateway()).toMatchObject({ lastExit: { code: 1 } });
    await time.advance(600_000, control);
    expect(control.listLeases().leases).toEqual([]);
    while (gateway().state !== "ready" && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    const clean = gateway().restarts;
    await new Promise((r) => setTimeout(r, 1_500)); // longer than a looping start lives
    expect(gateway()).toMatchObject({ state: "ready", restarts: clean });

    await control.crashLoop(sre, "gateway", 1, 600, meta);
    const token = `Bearer ${await issueLabToken(key, sre)}`;
    expect(await control.clearFaults(sre, "gateway", token, meta)).toEqual({ service: "gateway", rules: [], lease: null });
    expect(control.listLeases().leases).toEqual([]);
    expect((await audit()).slice(-2).map((e) => [e.action, e.actorId, e.entityId])).toEqual([
      ["supervisor.crash-loop", "usr-sre", "gateway"],
      ["supervisor.crash-loop-end", "usr-sre", "gateway"],
    ]);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(gateway().state).toBe("ready");
  }, 30_000);

  it("drops a pause lease when its process is killed, and counts the restart", async () => {
    const restarts = supervisor.statusOf("gateway").restarts;
    await control.pause(sre, "gateway", 600, meta);
    await control.kill(sre, "gateway", "SIGKILL", meta);
    const end = Date.now() + 10_000;
    while (supervisor.statusOf("gateway").state !== "ready" && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect(supervisor.statusOf("gateway")).toMatchObject({ state: "ready", restarts: restarts + 1, lastExit: { signal: "SIGKILL" } });
    expect(control.listLeases().leases).toEqual([]);
  });
});
