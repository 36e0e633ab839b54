// Runs the lab's processes: starts each in its own process group with its output appended to
// <logDir>/<name>.log, watches its readiness URL, restarts it after a crash by the restart policy (or marks
// it failed), and pauses, resumes, kills, restarts and stops it on request. An exit the supervisor asked
// for is not a crash.
import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, writeSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";
import { LabError } from "../errors/index.ts";
import type { LabProcessSpec } from "./lab-processes.ts";
import { processNamed } from "./lab-processes.ts";
import { type CrashRecord, LAB_RESTART_POLICY, NO_CRASHES, type RestartPolicy, decideRestart } from "./restart-policy.ts";
import { carryNicenessToSession } from "./session-niceness.ts";

export type ProcessState = "starting" | "ready" | "paused" | "restarting" | "stopped" | "failed";

export interface ProcessExit {
  code: number | null;
  signal: string | null;
  at: number;
}

export interface ProcessStatus {
  name: string;
  pid: number | null;
  state: ProcessState;
  port: number;
  startedAt: number | null;
  restarts: number;
  lastExit: ProcessExit | null;
  /** Why a failed process is not restarted. */
  failure: string | null;
  logFile: string;
}

export type SupervisorEvent =
  | { kind: "ready"; name: string; pid: number; afterMs: number }
  | { kind: "crashed"; name: string; pid: number | null; code: number | null; signal: string | null }
  | { kind: "restarting"; name: string; delayMs: number }
  | { kind: "failed"; name: string; reason: string }
  | { kind: "started" | "paused" | "resumed"; name: string; pid: number }
  | { kind: "stopped"; name: string };

export interface SupervisorOptions {
  specs: readonly LabProcessSpec[];
  logDir: string;
  /** The environment every process starts with (the one the lab's config was read from). */
  env: Record<string, string | undefined>;
  cwd: string;
  policy?: RestartPolicy;
  onEvent?: (event: SupervisorEvent) => void;
  /** How long a process has to exit after SIGTERM before it gets SIGKILL. */
  stopGraceMs?: number;
  readyPollMs?: number;
}

interface Slot {
  spec: LabProcessSpec;
  child: ChildProcess | null;
  state: ProcessState;
  startedAt: number | null;
  readyAt: number | null;
  restarts: number;
  lastExit: ProcessExit | null;
  failure: string | null;
  crashes: CrashRecord;
  restartTimer: NodeJS.Timeout | null;
  /** What the supervisor asked of the running child: an exit it asked for is not a crash. */
  intent: "run" | "restart" | "stop";
  /** Variables every start of the process gets until they are cleared (a crash loop's setting). */
  startEnv: Record<string, string> | null;
  exited: Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// util-linux's setpriv (always there on Debian) starts a process with a parent-death signal: should the
// supervisor die without stopping its processes (SIGKILL, the OOM killer), each gets SIGTERM and drains.
// Nothing else would tell them: they run in process groups of their own.
const SETPRIV = "/usr/bin/setpriv";
const withDeathSignal = existsSync(SETPRIV);

/** Whether `done` settles within `ms` (its timer cleared either way, so it holds nothing open). */
async function settlesWithin(done: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
  try {
    return await Promise.race([done.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Signals a process group; a group that has gone is no error. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err;
  }
}

/** The ports among `ports` where something already accepts connections on 127.0.0.1. */
export async function portsAnswering(ports: readonly number[]): Promise<number[]> {
  const answers = await Promise.all(
    ports.map(
      (port) =>
        new Promise<boolean>((resolve) => {
          const socket = createConnection({ host: "127.0.0.1", port, timeout: 500 });
          const done = (answered: boolean) => {
            socket.destroy();
            resolve(answered);
          };
          socket
            .once("connect", () => done(true))
            .once("error", () => done(false))
            .once("timeout", () => done(false));
        }),
    ),
  );
  return ports.filter((_, i) => answers[i]);
}

export class ProcessSupervisor {
  private readonly slots: Slot[];
  private readonly policy: RestartPolicy;
  private stopping = false;
  private readonly listeners: ((event: SupervisorEvent) => void)[] = [];

  constructor(private readonly options: SupervisorOptions) {
    this.policy = options.policy ?? LAB_RESTART_POLICY;
    if (options.onEvent) this.listeners.push(options.onEvent);
    this.slots = options.specs.map((spec) => ({
      spec,
      child: null,
      state: "stopped",
      startedAt: null,
      readyAt: null,
      restarts: 0,
      lastExit: null,
      failure: null,
      crashes: NO_CRASHES,
      restartTimer: null,
      intent: "run",
      startEnv: null,
      exited: Promise.resolve(),
    }));
  }

  /** Starts every process; refuses when something already answers on one of their ports (another lab?). */
  async start(): Promise<void> {
    const busy = await portsAnswering(this.slots.map((s) => s.spec.port));
    if (busy.length > 0) {
      const who = busy.map((p) => `${this.slots.find((s) => s.spec.port === p)!.spec.name} (:${p})`).join(", ");
      throw new LabError("setup", `something already answers on the ports of ${who}; is another lab running? Stop it, or set other ports`);
    }
    for (const slot of this.slots) this.spawn(slot);
  }

  /** Resolves when every process is ready; rejects naming the ones that failed or are not ready in time. */
  async waitUntilReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.stopping) throw new LabError("setup", "the lab is stopping");
      const failed = this.slots.find((s) => s.state === "failed");
      if (failed) throw new LabError("setup", `${failed.spec.name} failed (${failed.failure}); its output is in ${this.logFile(failed.spec.name)}`);
      const waiting = this.slots.filter((s) => s.state !== "ready");
      if (waiting.length === 0) return;
      if (Date.now() > deadline)
        throw new LabError(
          "setup",
          `not ready within ${Math.round(timeoutMs / 1000)} s: ${waiting.map((s) => `${s.spec.name} (${s.state}; see ${this.logFile(s.spec.name)})`).join(", ")}`,
        );
      await sleep(100);
    }
  }

  status(): ProcessStatus[] {
    return this.slots.map((s) => ({
      name: s.spec.name,
      pid: s.child?.pid ?? null,
      state: s.state,
      port: s.spec.port,
      startedAt: s.startedAt,
      restarts: s.restarts,
      lastExit: s.lastExit,
      failure: s.failure,
      logFile: this.logFile(s.spec.name),
    }));
  }

  statusOf(name: string): ProcessStatus {
    return processNamed(this.status(), name);
  }

  specs(): readonly LabProcessSpec[] {
    return this.options.specs;
  }

  /** Sends a signal to a running process (SIGKILL: a crash, which the restart policy answers). */
  kill(name: string, signal: NodeJS.Signals): { pid: number } {
    const slot = this.running(name);
    const pid = slot.child!.pid!;
    signalGroup(pid, signal);
    // A paused process acts on a catchable signal only once it runs again.
    if (slot.state === "paused" && signal !== "SIGKILL") signalGroup(pid, "SIGCONT");
    return { pid };
  }

  /** SIGSTOP: the process holds its connections and answers nothing until resumed. */
  pause(name: string): { pid: number } {
    const slot = this.running(name);
    const pid = slot.child!.pid!;
    signalGroup(pid, "SIGSTOP");
    if (slot.state !== "paused") this.emit({ kind: "paused", name, pid });
    slot.state = "paused";
    return { pid };
  }

  /** SIGCONT; false when the process was not paused (nothing to do). */
  resume(name: string): boolean {
    const slot = this.slotOf(name);
    if (slot.state !== "paused" || !slot.child?.pid) return false;
    signalGroup(slot.child.pid, "SIGCONT");
    slot.state = slot.readyAt !== null ? "ready" : "starting";
    this.emit({ kind: "resumed", name, pid: slot.child.pid });
    return true;
  }

  /** Variables the process's next starts get (null: none beyond its spec's); the running process keeps its own. */
  setStartEnv(name: string, env: Record<string, string> | null): void {
    this.slotOf(name).startEnv = env;
  }

  /** Stops the process gracefully (SIGTERM, then SIGKILL after the grace) and starts it again; clears a failed state. */
  async restart(name: string): Promise<ProcessStatus> {
    const slot = this.slotOf(name);
    if (this.stopping) throw new LabError("conflict", "the lab is stopping");
    slot.crashes = NO_CRASHES;
    slot.failure = null;
    if (slot.child) {
      slot.intent = "restart"; // the exit handler starts it again
      await this.terminate(slot);
    } else {
      if (slot.restartTimer) clearTimeout(slot.restartTimer);
      slot.restartTimer = null;
      slot.restarts++;
      this.spawn(slot);
    }
    return this.statusOf(name);
  }

  /** Stops every process: SIGTERM to all at once, SIGKILL to what is left after the grace. No restarts after this. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const slot of this.slots) {
      if (slot.restartTimer) clearTimeout(slot.restartTimer);
      slot.restartTimer = null;
      if (!slot.child && slot.state !== "stopped") {
        slot.state = "stopped";
        this.emit({ kind: "stopped", name: slot.spec.name });
      }
    }
    await Promise.all(
      this.slots
        .filter((s) => s.child)
        .map((s) => {
          s.intent = "stop";
          return this.terminate(s);
        }),
    );
  }

  /** Last resort when the supervisor itself is exiting: SIGKILL to every process group, synchronously. */
  killAllNow(): void {
    for (const slot of this.slots) if (slot.child?.pid) signalGroup(slot.child.pid, "SIGKILL");
  }

  logFile(name: string): string {
    return join(this.options.logDir, `${name}.log`);
  }

  private slotOf(name: string): Slot {
    return processNamed(
      this.slots.map((s) => ({ name: s.spec.name, slot: s })),
      name,
    ).slot;
  }

  private running(name: string): Slot {
    const slot = this.slotOf(name);
    if (!slot.child?.pid || slot.intent !== "run") throw new LabError("conflict", `${name} is not running (${slot.state})`, { field: "name" });
    return slot;
  }

  subscribe(listener: (event: SupervisorEvent) => void): void {
    this.listeners.push(listener);
  }

  private emit(event: SupervisorEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private spawn(slot: Slot): void {
    const { spec } = slot;
    const logFile = this.logFile(spec.name);
    mkdirSync(this.options.logDir, { recursive: true });
    const fd = openSync(logFile, "a");
    let child: ChildProcess;
    try {
      writeSync(fd, `\n--- ${new Date().toISOString()} supervisor: starting ${spec.name}: ${[spec.command, ...spec.args].join(" ")} ---\n`);
      // setpriv execs the command in place: the pid is the process's own.
      const [command, args] = withDeathSignal ? [SETPRIV, ["--pdeathsig", "SIGTERM", "--", spec.command, ...spec.args]] : [spec.command, spec.args];
      // Its own process group (detached): pause, resume and kill reach everything it started, and a Ctrl-C
      // in the terminal reaches the supervisor only, which stops the processes in order.
      child = spawn(command, args, {
        cwd: this.options.cwd,
        env: { ...this.options.env, ...spec.env, ...slot.startEnv } as NodeJS.ProcessEnv,
        stdio: ["ignore", fd, fd],
        detached: true,
      });
    } finally {
      closeSync(fd); // the child holds its own copy
    }
    if (child.pid) carryNicenessToSession(child.pid); // its own session would otherwise drop a `nice` on the lab
    let resolveExit!: () => void;
    slot.exited = new Promise((r) => (resolveExit = r));
    slot.child = child;
    slot.state = "starting";
    slot.startedAt = Date.now();
    slot.readyAt = null;
    slot.intent = "run";
    let ended = false;
    const onEnd = (code: number | null, signal: string | null, error?: string) => {
      if (ended) return;
      ended = true;
      this.onExit(slot, child, { code, signal, at: Date.now() }, error);
      resolveExit();
    };
    child.once("error", (err) => onEnd(null, null, err.message)); // could not start (no such command)
    child.once("exit", (code, signal) => onEnd(code, signal));
    if (child.pid) this.emit({ kind: "started", name: spec.name, pid: child.pid });
    void this.watchReadiness(slot, child);
  }

  private async watchReadiness(slot: Slot, child: ChildProcess): Promise<void> {
    const pollMs = this.options.readyPollMs ?? 200;
    while (slot.child === child && slot.readyAt === null) {
      try {
        const res = await fetch(slot.spec.readyUrl, { signal: AbortSignal.timeout(1000) });
        await res.arrayBuffer();
        if (res.ok && slot.child === child && slot.readyAt === null) {
          slot.readyAt = Date.now();
          if (slot.state === "starting") slot.state = "ready";
          this.emit({ kind: "ready", name: slot.spec.name, pid: child.pid!, afterMs: slot.readyAt - slot.startedAt! });
          return;
        }
      } catch {
        // not listening yet
      }
      await sleep(pollMs);
    }
  }

  private onExit(slot: Slot, child: ChildProcess, exit: ProcessExit, error?: string): void {
    const name = slot.spec.name;
    // Whatever it started in its group goes with it, so nothing keeps holding its port.
    if (child.pid) signalGroup(child.pid, "SIGKILL");
    appendFileSync(
      this.logFile(name),
      `--- ${new Date(exit.at).toISOString()} supervisor: ${name} ${error ? `could not start: ${error}` : `exited (code ${exit.code}, signal ${exit.signal})`} ---\n`,
    );
    slot.child = null;
    slot.lastExit = exit;
    slot.readyAt = null;
    if (slot.intent === "stop" || this.stopping) {
      slot.state = "stopped";
      this.emit({ kind: "stopped", name });
      return;
    }
    if (slot.intent === "restart") {
      slot.restarts++;
      this.spawn(slot);
      return;
    }
    this.emit({ kind: "crashed", name, pid: child.pid ?? null, code: exit.code, signal: exit.signal });
    const decision = decideRestart(this.policy, slot.crashes, { startedAt: slot.startedAt ?? exit.at, crashedAt: exit.at });
    slot.crashes = decision.record;
    if (!decision.restart) {
      slot.state = "failed";
      slot.failure = decision.reason;
      this.emit({ kind: "failed", name, reason: decision.reason });
      return;
    }
    slot.state = "restarting";
    this.emit({ kind: "restarting", name, delayMs: decision.delayMs });
    slot.restartTimer = setTimeout(() => {
      slot.restartTimer = null;
      slot.restarts++;
      this.spawn(slot);
    }, decision.delayMs);
  }

  /** SIGTERM (and SIGCONT, so a paused process can act on it), then SIGKILL after the grace. */
  private async terminate(slot: Slot): Promise<void> {
    const pid = slot.child?.pid;
    if (!pid) return;
    const exited = slot.exited;
    signalGroup(pid, "SIGTERM");
    signalGroup(pid, "SIGCONT");
    if (await settlesWithin(exited, this.options.stopGraceMs ?? 5000)) return;
    signalGroup(pid, "SIGKILL");
    await settlesWithin(exited, 2000);
  }
}
