import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { freePort } from "../../test/support/free-port.ts";
import { LabError } from "../errors/index.ts";
import type { LabProcessSpec } from "./lab-processes.ts";
import { ProcessSupervisor, type SupervisorEvent, portsAnswering } from "./process-supervisor.ts";

const dir = mkdtempSync(join(tmpdir(), "pimlab-supervisor-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A small HTTP process: ready once listening; crashes at start while its crash file exists; with
// IGNORE_TERM it does not stop on SIGTERM.
const fixture = join(dir, "tiny-service.mjs");
writeFileSync(
  fixture,
  `import { createServer } from "node:http";
import { existsSync } from "node:fs";
if (process.env.CRASH_FILE && existsSync(process.env.CRASH_FILE)) { console.error("crashing at start"); process.exit(3); }
createServer((req, res) => res.end(String(process.pid))).listen(Number(process.argv[2]), "127.0.0.1", () => console.log("listening"));
process.on("SIGTERM", () => { if (process.env.IGNORE_TERM) { console.log("ignoring SIGTERM"); return; } console.log("draining"); process.exit(0); });
`,
);

async function tiny(name: string, env: Record<string, string> = {}): Promise<LabProcessSpec> {
  const port = await freePort();
  return { name, command: process.execPath, args: [fixture, String(port)], port, readyUrl: `http://127.0.0.1:${port}/`, faultSwitch: null, env };
}

const supervisors: ProcessSupervisor[] = [];
afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((s) => s.stop()));
});

function supervise(specs: LabProcessSpec[], options: { stopGraceMs?: number } = {}) {
  const events: SupervisorEvent[] = [];
  const logDir = mkdtempSync(join(dir, "logs-"));
  const supervisor = new ProcessSupervisor({
    specs,
    logDir,
    env: {},
    cwd: dir,
    readyPollMs: 50,
    stopGraceMs: options.stopGraceMs ?? 3000,
    policy: { initialDelayMs: 20, maxDelayMs: 200, jitterRatio: 0.2, stableAfterMs: 60_000, failAfterCrashes: 3, crashWindowMs: 60_000 },
    onEvent: (e) => events.push(e),
  });
  supervisors.push(supervisor);
  return { supervisor, events, logDir };
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("the process supervisor", () => {
  it("starts every process, waits until each is ready, and appends its output to its log after a start marker", async () => {
    const { supervisor, events, logDir } = supervise([await tiny("alpha"), await tiny("beta")]);
    await supervisor.start();
    await supervisor.waitUntilReady(10_000);
    expect(supervisor.status().map((s) => [s.name, s.state, s.restarts])).toEqual([
      ["alpha", "ready", 0],
      ["beta", "ready", 0],
    ]);
    expect(
      events
        .filter((e) => e.kind === "ready")
        .map((e) => e.name)
        .sort(),
    ).toEqual(["alpha", "beta"]);
    await until(() => readFileSync(join(logDir, "alpha.log"), "utf8").includes("listening"));
    expect(readFileSync(join(logDir, "alpha.log"), "utf8")).toMatch(/^\n--- \S+ supervisor: starting alpha: .*tiny-service\.mjs \d+ ---\nlistening\n/);
  });

  it("restarts a killed process, which counts as a restart and becomes ready again under a new pid", async () => {
    const { supervisor, events } = supervise([await tiny("alpha")]);
    await supervisor.start();
    await supervisor.waitUntilReady(10_000);
    const before = supervisor.statusOf("alpha").pid!;
    expect(supervisor.kill("alpha", "SIGKILL")).toEqual({ pid: before });
    await until(() => supervisor.statusOf("alpha").state === "ready" && supervisor.statusOf("alpha").pid !== before);
    expect(supervisor.statusOf("alpha")).toMatchObject({ restarts: 1, lastExit: { code: null, signal: "SIGKILL" } });
    expect(events.map((e) => e.kind)).toEqual(["started", "ready", "crashed", "restarting", "started", "ready"]);
  });

  it("marks a process that keeps crashing failed, and starts it again on an explicit restart", async () => {
    const crashFile = join(dir, "crash-now");
    const { supervisor, events, logDir } = supervise([await tiny("alpha", { CRASH_FILE: crashFile })]);
    await supervisor.start();
    await supervisor.waitUntilReady(10_000);
    writeFileSync(crashFile, "");
    supervisor.kill("alpha", "SIGTERM");
    await until(() => supervisor.statusOf("alpha").state === "failed");
    expect(supervisor.statusOf("alpha")).toMatchObject({ failure: "crashed 3 times within 60 s", restarts: 2, lastExit: { code: 3 }, pid: null });
    await expect(supervisor.waitUntilReady(1000)).rejects.toThrow(/alpha failed \(crashed 3 times within 60 s\); its output is in .*alpha\.log/);
    expect(readFileSync(join(logDir, "alpha.log"), "utf8")).toContain("crashing at start");
    expect(() => supervisor.kill("alpha", "SIGKILL")).toThrow(/alpha is not running \(failed\)/);
    unlinkSync(crashFile);
    await supervisor.restart("alpha");
    await supervisor.waitUntilReady(10_000);
    expect(supervisor.statusOf("alpha")).toMatchObject({ state: "ready", restarts: 3, failure: null });
    expect(events.filter((e) => e.kind === "failed")).toHaveLength(1);
  });

  it("pauses a process so it answers nothing, and resumes it", async () => {
    const spec = await tiny("alpha");
    const { supervisor } = supervise([spec]);
    await supervisor.start();
    await supervisor.waitUntilReady(10_000);
    supervisor.pause("alpha");
    expect(supervisor.statusOf("alpha").state).toBe("paused");
    await expect(fetch(spec.readyUrl, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(supervisor.resume("alpha")).toBe(true);
    expect(supervisor.resume("alpha")).toBe(false);
    expect(supervisor.statusOf("alpha").state).toBe("ready");
    expect((await fetch(spec.readyUrl)).status).toBe(200);
  });

  it("restarts a process gracefully on request, even a paused one", async () => {
    const { supervisor, events } = supervise([await tiny("alpha")]);
    await supervisor.start();
    await supervisor.waitUntilReady(10_000);
    const before = supervisor.statusOf("alpha").pid!;
    supervisor.pause("alpha");
    const after = await supervisor.restart("alpha");
    expect(after).toMatchObject({ state: "starting", restarts: 1, lastExit: { code: 0, signal: null } });
    expect(after.pid).not.toBe(before);
    await supervisor.waitUntilReady(10_000);
    expect(events.map((e) => e.kind)).not.toContain("crashed");
  });

  it("stops every process with SIGTERM, and with SIGKILL one that ignores it past the grace", async () => {
    const { supervisor, events } = supervise([await tiny("alpha"), await tiny("stubborn", { IGNORE_TERM: "1" })], { stopGraceMs: 500 });
    await supervisor.start();
    await supervisor.waitUntilReady(10_000);
    const pids = supervisor.status().map((s) => s.pid!);
    const started = Date.now();
    await supervisor.stop();
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(supervisor.status().map((s) => [s.name, s.state, s.lastExit?.signal ?? s.lastExit?.code])).toEqual([
      ["alpha", "stopped", 0],
      ["stubborn", "stopped", "SIGKILL"],
    ]);
    expect(pids.filter(alive)).toEqual([]);
    expect(events.filter((e) => e.kind === "crashed")).toEqual([]);
  });

  it("leaves no process behind when the supervisor itself is killed with SIGKILL", async () => {
    const script = join(dir, "supervisor-to-kill.mts");
    writeFileSync(
      script,
      `import { ProcessSupervisor } from ${JSON.stringify(join(import.meta.dirname, "process-supervisor.ts"))};
const s = new ProcessSupervisor({ specs: [${JSON.stringify(await tiny("orphan"))}], logDir: ${JSON.stringify(join(dir, "orphan-logs"))}, env: {}, cwd: ${JSON.stringify(dir)}, readyPollMs: 50 });
await s.start();
await s.waitUntilReady(10_000);
console.log(JSON.stringify(s.status().map((p) => p.pid)));
setInterval(() => {}, 1000);
`,
    );
    const supervisor = spawn(process.execPath, ["--import", "tsx", script], {
      cwd: join(import.meta.dirname, "..", ".."),
      stdio: ["ignore", "pipe", "inherit"],
    });
    const pids = await new Promise<number[]>((resolve) => supervisor.stdout!.once("data", (b: Buffer) => resolve(JSON.parse(b.toString()) as number[])));
    try {
      expect(pids.every(alive)).toBe(true);
      supervisor.kill("SIGKILL");
      await until(() => !pids.some(alive), 4_000);
    } finally {
      for (const pid of pids.filter(alive)) process.kill(pid, "SIGKILL");
    }
  });

  it("refuses to start on a port something already answers on, and names unknown processes with a 404", async () => {
    const spec = await tiny("alpha");
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(spec.port, "127.0.0.1", r));
    try {
      expect(await portsAnswering([spec.port])).toEqual([spec.port]);
      const { supervisor } = supervise([spec]);
      await expect(supervisor.start()).rejects.toThrow(new RegExp(`already answers on the ports of alpha \\(:${spec.port}\\)`));
      expect(() => supervisor.pause("kafka")).toThrow(LabError);
      expect(existsSync(supervisor.logFile("alpha"))).toBe(false);
    } finally {
      holder.close();
    }
  });
});
