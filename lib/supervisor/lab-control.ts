// What the supervisor's control API does: the lab's status with each process's memory, and the audited
// actions on its processes. Each fault it applies (a pause, a service's fault rules) is a lease the deadman
// reverts at its deadline with the supervisor's own token, whoever asked and whether they are still there.
import { seesControls } from "../auth/policy.ts";
import type { Actor } from "../auth/roles.ts";
import { issueLabToken } from "../auth/tokens.ts";
import type { DatabaseTarget } from "../data/lab-topology.ts";
import { type HeldWriteLock, holdWriteLock } from "../data/shard-write-lock.ts";
import type { SqlDatabase } from "../data/sql-database.ts";
import { LabError } from "../errors/index.ts";
import { type FaultLease, type LeaseClock, type LeaseEnd, LeaseKeeper, leaseId, systemClock } from "./fault-leases.ts";
import { type ServiceFaults, forwardFaultSwitch } from "./fault-forwarding.ts";
import { processNamed } from "./lab-processes.ts";
import { processTree, rssBytesOf } from "./process-memory.ts";
import type { ProcessExit, ProcessState, ProcessSupervisor, SupervisorEvent } from "./process-supervisor.ts";
import { type SupervisorAction, recordSupervisorAction } from "./supervisor-audit.ts";

/** The issue's budget for the whole lab's memory. */
export const LAB_MEMORY_BUDGET_BYTES = 1_500_000_000;

/** The supervisor's own identity: the deadman reverts and emergency clears are its acts. */
export const SUPERVISOR_ACTOR: Actor = { userId: "lab-supervisor", role: "sre", facilityId: null, patientId: null };

export interface RequestMeta {
  requestId: string;
  traceId: string | null;
  traceparent: string | null;
}

export interface ProcessView {
  name: string;
  pid: number | null;
  state: ProcessState;
  port: number;
  uptimeSeconds: number | null;
  restarts: number;
  lastExit: (Omit<ProcessExit, "at"> & { at: string }) | null;
  failure: string | null;
  rssBytes: number;
}

export interface LabStatus {
  processes: ProcessView[];
  supervisor: { pid: number; rssBytes: number };
  totalRssBytes: number;
  memoryBudgetBytes: number;
}

export interface LabControlOptions {
  supervisor: ProcessSupervisor;
  control: SqlDatabase;
  /** The lab's token key: the supervisor signs its own token for the reverts. */
  tokenKey: Uint8Array;
  clock?: LeaseClock;
  /** Lines for the terminal: deadline reverts and what failed. */
  notice?: (line: string) => void;
  /** The shards' databases, for the sessions that hold a shard's write lock (the shard-outage drill). */
  shards?: readonly DatabaseTarget[];
}

/**
 * The lab's status as the actor may see it: a process the supervisor froze is, to whoever does not see the
 * lab's controls (the on-call player), what a hung process is to a real supervisor: running.
 */
export function statusAsSeenBy(status: LabStatus, actor: Actor): LabStatus {
  if (seesControls(actor)) return status;
  return { ...status, processes: status.processes.map((p) => (p.state === "paused" ? { ...p, state: "ready" } : p)) };
}

/** What a fault switch is given: a service's (or the gateway's) rules, or the projector's one setting. */
export type FaultSwitchBody = { rules: { id: string; durationSeconds: number }[] } | { durationSeconds: number };

/** A fault switch `elapsedMs` after it was set: each rule with the time it has left, none once all are over. */
export function remainingFaults(body: FaultSwitchBody, elapsedMs: number): FaultSwitchBody | null {
  const left = (seconds: number) => Math.floor(seconds - elapsedMs / 1000);
  if (!("rules" in body)) return left(body.durationSeconds) >= 1 ? { ...body, durationSeconds: left(body.durationSeconds) } : null;
  const rules = body.rules.filter((r) => left(r.durationSeconds) >= 1).map((r) => ({ ...r, durationSeconds: left(r.durationSeconds) }));
  return rules.length > 0 ? { rules } : null;
}

const leaseView = (l: FaultLease) => ({
  ...l,
  takenAt: new Date(l.takenAt).toISOString(),
  deadlineAt: new Date(l.deadlineAt).toISOString(),
  dueAt: new Date(l.dueAt).toISOString(),
});

export class LabControl {
  readonly leases: LeaseKeeper;
  private readonly supervisor: ProcessSupervisor;
  private readonly notice: (line: string) => void;
  private readonly clock: LeaseClock;
  /** Audit writes of reverts still in flight (they run off the lease timer): shutdown waits for them. */
  private readonly auditing = new Set<Promise<void>>();
  /**
   * The fault switch each leased process was given and when: a fault is the process's configuration, so a
   * restart (or a crash) does not cure it; the process gets what is left of it again once it is ready.
   */
  private readonly leasedFaults = new Map<string, { body: FaultSwitchBody; at: number }>();
  /** The write-lock sessions open now, by shard index. */
  private readonly heldLocks = new Map<number, HeldWriteLock>();

  constructor(private readonly options: LabControlOptions) {
    this.supervisor = options.supervisor;
    this.clock = options.clock ?? systemClock;
    this.notice = options.notice ?? (() => undefined);
    this.leases = new LeaseKeeper({
      clock: this.clock,
      onReverted: (lease, why) => this.recordRevert(lease, why, "success"),
      // Once per lease: the deadman keeps trying, the chain need not hear it every time.
      onRevertFailed: (lease, error, why) => (lease.failedAttempts === 0 ? this.recordRevert(lease, why, "failed", error) : undefined),
    });
  }

  /**
   * Wire to the supervisor's events: a process that exits or starts afresh is no longer paused; one that is
   * ready again gets back the faults it still holds a lease on.
   */
  readonly onProcessEvent = (event: SupervisorEvent): void => {
    if (event.kind === "crashed" || event.kind === "stopped" || event.kind === "started") this.leases.release(leaseId("pause", event.name));
    if (event.kind === "ready") {
      const reapplying = this.reapplyFaults(event.name).catch((err: unknown) =>
        this.notice(`${event.name}: its faults could not be set again after its start: ${(err as Error).message}`),
      );
      this.auditing.add(reapplying);
      void reapplying.finally(() => this.auditing.delete(reapplying));
    }
  };

  private async reapplyFaults(name: string): Promise<void> {
    const held = this.leasedFaults.get(name);
    if (!held || !this.leases.list().some((l) => l.id === leaseId("faults", name))) return;
    const body = remainingFaults(held.body, this.clock.now() - held.at);
    if (!body) return;
    const token = await issueLabToken(this.options.tokenKey, SUPERVISOR_ACTOR, { ttlSeconds: 300 });
    await forwardFaultSwitch(processNamed(this.supervisor.specs(), name), { method: "PUT", authorization: `Bearer ${token}`, body });
  }

  status(now = Date.now()): LabStatus {
    const counted = new Set<number>();
    const processes = this.supervisor.status().map((p): ProcessView => {
      const tree = p.pid !== null ? processTree(p.pid) : [];
      for (const pid of tree) counted.add(pid);
      return {
        name: p.name,
        pid: p.pid,
        state: p.state,
        port: p.port,
        uptimeSeconds: p.pid !== null && p.startedAt !== null ? Math.round((now - p.startedAt) / 100) / 10 : null,
        restarts: p.restarts,
        lastExit: p.lastExit && { ...p.lastExit, at: new Date(p.lastExit.at).toISOString() },
        failure: p.failure,
        rssBytes: tree.reduce((sum, pid) => sum + rssBytesOf(pid), 0),
      };
    });
    // The supervisor with its own helpers (tsx's esbuild), without the lab processes counted above.
    const own = processTree(process.pid)
      .filter((pid) => !counted.has(pid))
      .reduce((sum, pid) => sum + rssBytesOf(pid), 0);
    return {
      processes,
      supervisor: { pid: process.pid, rssBytes: own },
      totalRssBytes: own + processes.reduce((s, p) => s + p.rssBytes, 0),
      memoryBudgetBytes: LAB_MEMORY_BUDGET_BYTES,
    };
  }

  listLeases() {
    return { leases: this.leases.list().map(leaseView) };
  }

  async kill(actor: Actor, name: string, signal: NodeJS.Signals, meta: RequestMeta) {
    const { pid } = this.supervisor.kill(name, signal);
    await this.record(actor, meta, { action: "supervisor.kill", target: name, deadline: null, title: `${name} sent ${signal}`, details: { signal, pid } });
    return { process: this.supervisor.statusOf(name), signal };
  }

  async pause(actor: Actor, name: string, deadlineSeconds: number, meta: RequestMeta) {
    const { pid } = this.supervisor.pause(name);
    const lease = this.leases.take({ kind: "pause", target: name, takenBy: actor.userId, deadlineAt: this.clock.now() + deadlineSeconds * 1000 }, async () => {
      this.supervisor.resume(name); // nothing to do when it was resumed or restarted meanwhile
    });
    await this.record(actor, meta, {
      action: "supervisor.pause",
      target: name,
      deadline: new Date(lease.deadlineAt),
      title: `${name} paused (SIGSTOP)`,
      details: { pid, deadlineSeconds },
    });
    return { process: this.supervisor.statusOf(name), lease: leaseView(lease) };
  }

  /** Idempotent: a process the deadman (or anyone) resumed already answers resumed: false, so a drill's rollback never fails on it. */
  async resume(actor: Actor, name: string, meta: RequestMeta) {
    const resumed = this.supervisor.resume(name);
    const lease = this.leases.release(leaseId("pause", name));
    await this.record(actor, meta, {
      action: "supervisor.resume",
      target: name,
      deadline: null,
      title: resumed ? `${name} resumed (SIGCONT)` : `${name} resume: was not paused`,
      details: { resumed, lease: lease?.id ?? null },
    });
    return { process: this.supervisor.statusOf(name), resumed };
  }

  /**
   * Puts a process into a crash loop until the deadline: every start of it from now on dies
   * `crashAfterSeconds` after it listens (LAB_CRASH_AFTER_SECONDS), as a release that fails at start-up
   * does, and the restart policy backs off and then gives up. It is restarted now, so the loop begins at
   * once. The lease's revert (the deadline, the rollback, an emergency stop) starts it clean.
   */
  async crashLoop(actor: Actor, name: string, crashAfterSeconds: number, deadlineSeconds: number, meta: RequestMeta) {
    processNamed(this.supervisor.specs(), name);
    this.supervisor.setStartEnv(name, { LAB_CRASH_AFTER_SECONDS: String(crashAfterSeconds) });
    const lease = this.leases.take({ kind: "crash-loop", target: name, takenBy: actor.userId, deadlineAt: this.clock.now() + deadlineSeconds * 1000 }, () =>
      this.startClean(name),
    );
    this.leases.release(leaseId("pause", name));
    const before = this.supervisor.statusOf(name);
    const after = await this.supervisor.restart(name);
    await this.record(actor, meta, {
      action: "supervisor.crash-loop",
      target: name,
      deadline: new Date(lease.deadlineAt),
      title: `${name} crash-looping: each start dies after ${crashAfterSeconds} s`,
      details: { crashAfterSeconds, deadlineSeconds, oldPid: before.pid, pid: after.pid },
    });
    return { process: after, lease: leaseView(lease) };
  }

  /** Ends a crash loop now (idempotent): the process starts again without its setting. */
  async endCrashLoop(actor: Actor, name: string, meta: RequestMeta) {
    processNamed(this.supervisor.specs(), name);
    const lease = this.leases.release(leaseId("crash-loop", name));
    if (!lease) return { process: this.supervisor.statusOf(name), ended: false };
    await this.startClean(name);
    await this.record(actor, meta, {
      action: "supervisor.crash-loop-end",
      target: name,
      deadline: null,
      title: `${name}: crash loop ended`,
      details: { lease: lease.id },
    });
    return { process: this.supervisor.statusOf(name), ended: true };
  }

  private async startClean(name: string): Promise<void> {
    this.supervisor.setStartEnv(name, null);
    await this.supervisor.restart(name);
  }

  async restart(actor: Actor, name: string, meta: RequestMeta) {
    const before = this.supervisor.statusOf(name);
    this.leases.release(leaseId("pause", name));
    const after = await this.supervisor.restart(name);
    await this.record(actor, meta, {
      action: "supervisor.restart",
      target: name,
      deadline: null,
      title: `${name} restarted`,
      details: { from: before.state, oldPid: before.pid, pid: after.pid },
    });
    return { process: after };
  }

  /**
   * Opens a session on the shard's database that takes its write lock and holds it until the deadline: the
   * shard's writes fail after the lock wait, its reads still answer. A second call keeps the session and
   * moves the deadline.
   */
  async lockShard(actor: Actor, shard: number, deadlineSeconds: number, meta: RequestMeta) {
    const target = this.shardTarget(shard);
    const held = this.heldLocks.get(shard) ?? (await holdWriteLock(target));
    this.heldLocks.set(shard, held);
    const lease = this.leases.take(
      { kind: "shard-lock", target: target.label, takenBy: actor.userId, deadlineAt: this.clock.now() + deadlineSeconds * 1000 },
      async () => void (await this.unlockShard(shard)),
    );
    await this.record(actor, meta, {
      action: "supervisor.shard-lock",
      target: target.label,
      deadline: new Date(lease.deadlineAt),
      title: `${target.label}: a session holds the write lock`,
      details: { shard, heldSince: held.heldSince.toISOString(), deadlineSeconds },
    });
    return { shard, heldSince: held.heldSince.toISOString(), lease: leaseView(lease) };
  }

  /** The on-call lever for a locked shard (idempotent): the session holding its write lock is ended. */
  async endBlockingSession(actor: Actor, shard: number, meta: RequestMeta) {
    const target = this.shardTarget(shard);
    const lease = this.leases.release(leaseId("shard-lock", target.label));
    const ended = await this.unlockShard(shard);
    await this.record(actor, meta, {
      action: "supervisor.shard-session-end",
      target: target.label,
      deadline: null,
      title: ended ? `${target.label}: the session holding the write lock ended` : `${target.label}: no session held the write lock`,
      details: { shard, ended, lease: lease?.id ?? null },
    });
    return { shard, ended };
  }

  /** The sessions holding a shard's write lock, as a database's own session list shows them (no drill named). */
  blockingSessions() {
    return {
      sessions: [...this.heldLocks.entries()]
        .sort(([a], [b]) => a - b)
        .map(([shard, held]) => ({ shard, database: held.label, state: "idle in transaction", heldSince: held.heldSince.toISOString(), holdsWriteLock: true })),
    };
  }

  private shardTarget(shard: number): DatabaseTarget {
    const target = this.options.shards?.find((t) => t.shard === shard);
    if (!target) throw new LabError("not_found", `no shard ${shard}: this lab has shards 0 to ${(this.options.shards?.length ?? 1) - 1}`, { field: "shard" });
    return target;
  }

  private async unlockShard(shard: number): Promise<boolean> {
    const held = this.heldLocks.get(shard);
    if (!held) return false;
    this.heldLocks.delete(shard);
    await held.release();
    return true;
  }

  /** Which fault switch a process has (its body is checked by that kind's schema), or a 404 naming the field. */
  faultSwitchOf(name: string) {
    return this.faultService(name).spec.faultSwitch!;
  }

  /** Forwards a fault switch to the process and leases it until its longest rule (or its one setting) ends. */
  async setFaults(actor: Actor, name: string, authorization: string, body: FaultSwitchBody, meta: RequestMeta) {
    const { spec, pid } = this.faultService(name);
    const faults = await forwardFaultSwitch(spec, { method: "PUT", authorization, body, requestId: meta.requestId, traceparent: meta.traceparent });
    if (faults.rules.length === 0) return this.clearedFaults(actor, name, faults, meta);
    const longest = "rules" in body ? Math.max(...body.rules.map((r) => r.durationSeconds)) : body.durationSeconds;
    const lease = this.leases.take({ kind: "faults", target: name, takenBy: actor.userId, deadlineAt: this.clock.now() + longest * 1000 }, () => {
      this.leasedFaults.delete(name);
      return this.clearServiceFaults(name);
    });
    this.leasedFaults.set(name, { body, at: this.clock.now() });
    await this.record(actor, meta, {
      action: "supervisor.faults-set",
      target: name,
      deadline: new Date(lease.deadlineAt),
      title: `${name}: ${faults.rules.map((r) => r.id).join(", ")} on`,
      details: { rules: faults.rules.map((r) => r.id), pid },
    });
    return { ...faults, lease: leaseView(lease) };
  }

  /** A rollback: the service's fault rules off, and a crash loop ended (the process starts clean, with no rules). */
  async clearFaults(actor: Actor, name: string, authorization: string, meta: RequestMeta) {
    if (this.leases.list().some((l) => l.id === leaseId("crash-loop", name))) {
      // The clean start has no fault rules either: they live in the process.
      this.leases.release(leaseId("faults", name));
      this.leasedFaults.delete(name);
      await this.endCrashLoop(actor, name, meta);
      return { service: name, rules: [], lease: null };
    }
    const { spec } = this.faultService(name);
    const faults = await forwardFaultSwitch(spec, { method: "DELETE", authorization, requestId: meta.requestId, traceparent: meta.traceparent });
    return this.clearedFaults(actor, name, faults, meta);
  }

  /**
   * Reverts every lease, then resumes any process still paused and clears the faults of every service
   * that has a fault switch, however they were set.
   */
  async emergencyStop(actor: Actor, meta: RequestMeta) {
    const outcomes = await this.leases.revertAll("emergency-stop");
    const resumed = this.supervisor
      .status()
      .filter((p) => p.state === "paused" && this.supervisor.resume(p.name))
      .map((p) => p.name);
    const cleared: string[] = [];
    const failed = outcomes.filter((o) => !o.ok).map((o) => ({ lease: o.lease.id, error: o.error! }));
    const reverted = outcomes.filter((o) => o.ok).map((o) => o.lease.id);
    for (const spec of this.supervisor.specs().filter((s) => s.faultSwitch)) {
      const pid = this.supervisor.statusOf(spec.name).pid;
      if (pid === null) continue; // not running: no rules
      if (reverted.includes(leaseId("faults", spec.name))) {
        cleared.push(spec.name);
        continue;
      }
      try {
        await this.clearServiceFaults(spec.name);
        cleared.push(spec.name);
      } catch (err) {
        failed.push({ lease: `faults:${spec.name}`, error: (err as Error).message });
      }
    }
    const result = { reverted, resumed, cleared, failed };
    await this.record(actor, meta, {
      action: "supervisor.emergency-stop",
      target: "lab",
      deadline: null,
      title: "emergency stop: every fault reverted",
      details: result,
      outcome: failed.length ? "failed" : "success",
    });
    return result;
  }

  /** At shutdown: every lease reverted before the processes stop. */
  async revertAllForShutdown(): Promise<void> {
    this.leases.close();
    await this.leases.idle();
    await this.leases.revertAll("shutdown");
    this.leases.close();
    await Promise.all(this.auditing);
  }

  private faultService(name: string) {
    const spec = processNamed(this.supervisor.specs(), name, "service");
    if (!spec.faultSwitch) {
      const having = this.supervisor
        .specs()
        .filter((s) => s.faultSwitch)
        .map((s) => s.name);
      throw new LabError("not_found", `${name} has no fault switch; these do: ${having.join(", ")}`, { field: "service" });
    }
    const { pid } = this.supervisor.statusOf(name);
    if (pid === null) throw new LabError("conflict", `${name} is not running (${this.supervisor.statusOf(name).state})`, { field: "service" });
    return { spec, pid };
  }

  /** DELETE /_lab/faults as the supervisor; a process that is not running has no rules to clear. */
  private async clearServiceFaults(name: string): Promise<void> {
    if (this.supervisor.statusOf(name).pid === null) return;
    const token = await issueLabToken(this.options.tokenKey, SUPERVISOR_ACTOR, { ttlSeconds: 300 });
    await forwardFaultSwitch(processNamed(this.supervisor.specs(), name), { method: "DELETE", authorization: `Bearer ${token}` });
  }

  private async clearedFaults(actor: Actor, name: string, faults: ServiceFaults, meta: RequestMeta) {
    const lease = this.leases.release(leaseId("faults", name));
    this.leasedFaults.delete(name);
    await this.record(actor, meta, {
      action: "supervisor.faults-clear",
      target: name,
      deadline: null,
      title: `${name}: faults off`,
      details: { lease: lease?.id ?? null },
    });
    return { ...faults, lease: null };
  }

  private record(actor: Actor, meta: RequestMeta, a: Omit<SupervisorAction, "actor" | "requestId" | "traceId">): Promise<void> {
    return recordSupervisorAction(this.options.control, { ...a, actor, requestId: meta.requestId, traceId: meta.traceId });
  }

  private recordRevert(lease: FaultLease, why: LeaseEnd, outcome: "success" | "failed", error?: string): void {
    const what = {
      pause: `${lease.target} resumed`,
      "crash-loop": `${lease.target} started clean`,
      faults: `${lease.target}: faults cleared`,
      "shard-lock": `${lease.target}: write lock released`,
    }[lease.kind];
    this.notice(
      outcome === "success" ? `${lease.id} reverted (${why}; taken by ${lease.takenBy})` : `could not revert ${lease.id} (${why}): ${error}; retrying`,
    );
    const writing = recordSupervisorAction(this.options.control, {
      actor: SUPERVISOR_ACTOR,
      action: "supervisor.lease-revert",
      target: lease.target,
      deadline: null,
      title: outcome === "success" ? `${what} (${why})` : `${lease.id}: revert failed (${why})`,
      details: {
        lease: lease.id,
        kind: lease.kind,
        takenBy: lease.takenBy,
        why,
        deadlineAt: new Date(lease.deadlineAt).toISOString(),
        ...(error ? { error } : {}),
      },
      requestId: null,
      traceId: null,
      outcome,
    }).catch((err: unknown) => this.notice(`could not audit the revert of ${lease.id}: ${(err as Error).message}`));
    this.auditing.add(writing);
    void writing.finally(() => this.auditing.delete(writing));
  }
}
