// The drill engine: lists a dry run's exact targets, starts runs now or on their schedule, applies their
// steps through the lab's supervisor and simulator, watches the abort conditions, and rolls back (at the
// end, on abort, on emergency stop). Every transition is on the control timeline. What it applies carries a
// deadline the supervisor keeps, so a dead engine still leaves a clean lab. Each run starts once and ends
// once: an end waits for the start in progress, which stops applying steps as soon as an end is asked.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { recordOnTimeline } from "../audit/control-timeline.ts";
import { authorize } from "../auth/policy.ts";
import type { Actor } from "../auth/roles.ts";
import type { SqlDatabase } from "../data/sql-database.ts";
import type { JsonSchema } from "../contracts/json-schema.ts";
import { LabError, isLabError } from "../errors/index.ts";
import { abortVerdict } from "./abort-conditions.ts";
import { DRILLS, type DrillStep, drillOf, processOf } from "./drill-catalog.ts";
import { type DrillGuardrails, type DrillLaunch, scheduleTimes } from "./drill-request.ts";
import { type DrillRun, type TimelineEvent, readRunHistory, recordRunEvent } from "./drill-runs.ts";
import { deadlineSeconds, validateLaunch } from "./drill-validation.ts";
import type { LabEffects } from "./lab-effects.ts";

export interface DrillEngineOptions {
  effects: LabEffects;
  control: SqlDatabase;
  guardrails: DrillGuardrails;
  shardCount: number;
  knownSlos: ReadonlySet<string>;
  checkEveryMs?: number;
  onError?: (message: string, err: unknown) => void;
}

export interface RequestMeta {
  requestId: string;
  traceId: string;
}

const ENGINE: Pick<Actor, "userId" | "role"> = { userId: "drill-engine", role: "instructor" };
const LIVE = new Set(["scheduled", "running"]);
/** A run still acting on the lab: scheduled, running, or a rollout it kept until its deadline. */
const holding = (r: DrillRun, now = Date.now()) => LIVE.has(r.status) || (r.kept && (!r.deadlineAt || Date.parse(r.deadlineAt) > now));
/** The longest a Node timer waits in one go; longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** The SLO read for abort conditions must not hold a run past its end (the supervisor's slack is 5 s). */
const SLO_READ_TIMEOUT_MS = 3000;
const END_ACTIONS: Partial<Record<DrillRun["status"], string>> = { completed: "complete", aborted: "abort", cancelled: "cancel" };
/** Ended runs kept in memory (older ones are read from the control database). */
const KEPT_ENDED_RUNS = 200;
/** A step whose target does not answer (busy for a moment, restarting) is tried this many times, this far apart. */
const APPLY_ATTEMPTS = 3;
const APPLY_RETRY_MS = 2000;

export class DrillEngine {
  private readonly runs = new Map<string, DrillRun>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly starting = new Map<string, Promise<string | null>>();
  private readonly ending = new Map<string, Promise<void>>();
  private readonly watch: NodeJS.Timeout;
  private checking = false;

  constructor(private readonly o: DrillEngineOptions) {
    this.watch = setInterval(() => void this.check(), o.checkEveryMs ?? 2000);
    this.watch.unref();
  }

  catalog() {
    return DRILLS.map((d) => ({
      key: d.key,
      title: d.title,
      failureMode: d.failureMode,
      maxDurationSeconds: Math.min(d.maxDurationSeconds, this.o.guardrails.maxDurationSeconds),
      defaultRollback: d.defaultRollback,
      params: z.toJSONSchema(d.params, { io: "input" }) as JsonSchema,
    }));
  }

  guardrails(): DrillGuardrails {
    return this.o.guardrails;
  }

  /** Runs a previous engine left live: running ones were reverted by the supervisor's deadman, scheduled ones never started. */
  async recover(now = new Date()): Promise<number> {
    const stale = (await readRunHistory(this.o.control, 200)).filter((r) => LIVE.has(r.status) && !this.runs.has(r.id));
    for (const run of stale) {
      const started = run.status === "running";
      Object.assign(run, {
        status: started ? "interrupted" : "cancelled",
        endedAt: now.toISOString(),
        abortReason: started
          ? "the drill engine stopped during the run; the supervisor reverted its effects at their deadline"
          : "the drill engine restarted before the run's time; launch it again",
      });
      await recordRunEvent(
        this.o.control,
        run,
        { action: started ? "drill.interrupted" : "drill.cancel", actor: ENGINE, title: `${run.title} ${run.status} (engine restarted)` },
        now,
      );
    }
    return stale.length;
  }

  /** What a launch would do, without doing it: the plan's exact targets, deadlines and guardrail checks. */
  async dryRun(actor: Actor, input: unknown, now = new Date()) {
    permit(actor);
    const { launch, drill, steps, radius, rollback } = validateLaunch(input, this.o);
    const processes = await this.o.effects.processes().catch(() => []);
    const pidOf = (name: string) => processes.find((p) => p.name === name)?.pid ?? null;
    return {
      drill: drill.key,
      title: drill.title,
      durationSeconds: launch.durationSeconds,
      rollback,
      abortWhen: launch.abortWhen,
      radius,
      starts: (launch.schedule ? scheduleTimes(launch.schedule, now, 5) : [now]).map((d) => d.toISOString()),
      deadlineSeconds: deadlineSeconds(drill, launch.durationSeconds, rollback, this.o.guardrails),
      targets: steps.map((s) => ({ description: s.description, action: s.apply, process: processOf(s.apply), pid: pidOf(processOf(s.apply)) })),
    };
  }

  async launch(actor: Actor, input: unknown, meta: RequestMeta, now = new Date()): Promise<DrillRun> {
    permit(actor);
    const { launch, drill, params, steps, radius, rollback } = validateLaunch(input, this.o);
    const at = launch.schedule ? scheduleTimes(launch.schedule, now, 1)[0] : now;
    if (!at || (launch.schedule && at.getTime() < now.getTime() - 1000))
      throw new LabError("unprocessable", "the schedule has no time in the future", { field: "schedule" });
    const run: DrillRun = {
      id: `drl-${now.getTime().toString(36)}-${randomBytes(3).toString("hex")}`,
      drill: drill.key,
      title: drill.title,
      status: launch.schedule ? "scheduled" : "running",
      params,
      durationSeconds: launch.durationSeconds,
      rollback,
      abortWhen: launch.abortWhen,
      schedule: launch.schedule ?? null,
      radius,
      startedBy: actor.userId,
      requestId: meta.requestId,
      traceId: meta.traceId,
      scheduledFor: launch.schedule ? at.toISOString() : null,
      startedAt: null,
      endsAt: null,
      deadlineAt: null,
      endedAt: null,
      abortReason: null,
      kept: false,
      steps: steps.map((s) => ({ description: s.description, action: s.apply, target: null, appliedAt: null, revertedAt: null, error: null, applied: null })),
    };
    if (!launch.schedule) {
      this.checkCapacity(run);
      this.runs.set(run.id, run);
      await this.start(run, actor);
      return run;
    }
    this.runs.set(run.id, run);
    this.arm(`${run.id}:start`, at.getTime(), () => void this.startScheduled(run, launch, actor));
    try {
      await this.event(run, { action: "drill.schedule", actor, title: `${run.title} scheduled for ${run.scheduledFor}` });
    } catch (err) {
      this.disarm(run.id);
      this.runs.delete(run.id);
      throw err;
    }
    return run;
  }

  list(): Promise<DrillRun[]> {
    return readRunHistory(this.o.control, 100).then((history) => {
      const live = [...this.runs.values()];
      return [...live, ...history.filter((h) => !this.runs.has(h.id))].sort((a, b) =>
        (b.startedAt ?? b.scheduledFor ?? "").localeCompare(a.startedAt ?? a.scheduledFor ?? ""),
      );
    });
  }

  async get(id: string): Promise<DrillRun> {
    const run = this.runs.get(id) ?? (await readRunHistory(this.o.control, 1000)).find((r) => r.id === id);
    if (!run) throw new LabError("not_found", `no drill run ${id}`, { field: "runId" });
    return run;
  }

  /** Aborts a running run, cancels a scheduled one, rolls back a kept rollout. */
  async abort(actor: Actor, id: string): Promise<DrillRun> {
    permit(actor);
    const run = await this.get(id);
    if (!this.runs.has(id) || !holding(run))
      throw new LabError("conflict", `drill run ${id} is ${run.status}${run.kept ? " and its change has expired" : ""}: nothing to abort`, { field: "runId" });
    await this.end(
      run,
      run.status === "scheduled" ? "cancelled" : "aborted",
      actor,
      run.kept ? `kept change rolled back by ${actor.userId}` : `aborted by ${actor.userId}`,
    );
    return run;
  }

  /** Ends every run acting on the lab (reverting each), then has the supervisor revert every lease it holds. */
  async emergencyStop(actor: Actor, meta: RequestMeta): Promise<{ ended: string[] }> {
    permit(actor);
    const live = [...this.runs.values()].filter((r) => holding(r));
    await Promise.all(live.map((r) => this.end(r, r.status === "scheduled" ? "cancelled" : "aborted", actor, `emergency stop by ${actor.userId}`)));
    let supervisor = "every lease reverted";
    await this.o.effects
      .emergencyStop({ requestId: meta.requestId, traceparent: `00-${meta.traceId}-${randomBytes(8).toString("hex")}-01` })
      .catch((err: Error) => {
        supervisor = `the supervisor could not be reached (${err.message})`;
      });
    const at = new Date();
    await recordOnTimeline(
      this.o.control,
      {
        occurredAt: at,
        actorId: actor.userId,
        actorRole: actor.role,
        action: "drill.emergency-stop",
        entityType: "DrillEngine",
        entityId: "emergency-stop",
        patientId: null,
        requestId: meta.requestId,
        traceId: meta.traceId,
        outcome: "success",
        details: { ended: live.map((r) => r.id), supervisor },
      },
      {
        endAt: null,
        kind: "drill",
        title: `emergency stop by ${actor.userId}: ${live.length} drill(s) ended; ${supervisor}`,
        body: JSON.stringify({ ended: live.map((r) => r.id) }),
        tags: JSON.stringify(["drill", "emergency-stop"]),
        drillRunId: null,
      },
    );
    return { ended: live.map((r) => r.id) };
  }

  /** Stops watching; running and scheduled runs are rolled back (kept rollouts stay, bounded by their deadline). */
  async close(): Promise<void> {
    clearInterval(this.watch);
    const live = [...this.runs.values()].filter((r) => LIVE.has(r.status));
    await Promise.all(live.map((r) => this.end(r, r.status === "scheduled" ? "cancelled" : "aborted", ENGINE, "the drill engine stopped")));
    for (const t of this.timers.values()) clearTimeout(t);
  }

  /** Max concurrent drills, and one drill per target: two drills on one fault switch would undo each other. */
  private checkCapacity(run: DrillRun): void {
    const acting = [...this.runs.values()].filter((r) => r !== run && (r.status === "running" || (r.kept && holding(r))));
    if (acting.filter((r) => r.status === "running").length >= this.o.guardrails.maxConcurrent) {
      throw new LabError("conflict", `${this.o.guardrails.maxConcurrent} drills are already running (guardrail); end one first`, { field: "drill" });
    }
    const targets = new Set(run.steps.map((s) => targetOf(s.action)));
    const clash = acting.find((r) => r.steps.some((s) => targets.has(targetOf(s.action))));
    if (clash) throw new LabError("conflict", `drill run ${clash.id} (${clash.drill}) already acts on ${[...targets].join(", ")}`, { field: "drill" });
  }

  private async startScheduled(run: DrillRun, launch: DrillLaunch, launchedBy: Actor): Promise<void> {
    try {
      if (run.status !== "scheduled") return;
      try {
        this.checkCapacity(run);
      } catch (err) {
        await this.end(run, "failed", ENGINE, `not started: ${(err as Error).message}`);
        return;
      }
      await this.start(run, ENGINE);
      // A cron schedule with firings left queues its next run once this one is under way.
      if (launch.schedule && "cron" in launch.schedule && launch.schedule.times > 1) {
        await this.launch(
          launchedBy,
          { ...launch, schedule: { ...launch.schedule, times: launch.schedule.times - 1 } },
          { requestId: run.requestId, traceId: run.traceId },
          new Date(Date.now() + 1000),
        );
      }
    } catch (err) {
      this.o.onError?.(`scheduled drill run ${run.id} could not start or queue its next firing`, err);
    }
  }

  private async start(run: DrillRun, actor: Pick<Actor, "userId" | "role">): Promise<void> {
    const drill = drillOf(run.drill)!;
    const now = Date.now();
    const deadline = deadlineSeconds(drill, run.durationSeconds, run.rollback, this.o.guardrails);
    // Running from here on, before any await: an abort or a cancel now ends a running run.
    Object.assign(run, {
      status: "running",
      startedAt: new Date(now).toISOString(),
      endsAt: new Date(now + run.durationSeconds * 1000).toISOString(),
      deadlineAt: new Date(now + deadline * 1000).toISOString(),
    });
    this.disarm(run.id);
    const applying = this.applySteps(run, actor, deadline);
    this.starting.set(run.id, applying);
    const failure = await applying.finally(() => this.starting.delete(run.id));
    if (failure) await this.end(run, "failed", actor, failure);
    else if (run.status === "running" && !this.ending.has(run.id)) this.arm(`${run.id}:end`, Date.parse(run.endsAt!), () => void this.finishDue(run));
  }

  /**
   * One step applied: a target that does not answer gets APPLY_ATTEMPTS tries before the step fails (on a busy
   * machine a service may take longer than the supervisor waits for it); a refusal fails it at once. The
   * tries carry one request id: setting the same fault rule again changes nothing.
   */
  private async applyStep(run: DrillRun, step: DrillRun["steps"][number], i: number, deadline: number) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.o.effects.apply(step.action, deadline, this.effectMeta(run, `apply-${i + 1}`));
      } catch (err) {
        if (attempt >= APPLY_ATTEMPTS || !isLabError(err, "unavailable") || this.ending.has(run.id)) throw err;
        await new Promise((r) => setTimeout(r, APPLY_RETRY_MS));
      }
    }
  }

  /** Applies each step in order; stops as soon as the run is being ended. A failure: the reason (the step reverted). */
  private async applySteps(run: DrillRun, actor: Pick<Actor, "userId" | "role">, deadline: number): Promise<string | null> {
    await this.event(run, { action: "drill.start", actor, title: `${run.title} started by ${run.startedBy}`, endAt: new Date(run.endsAt!) });
    for (const [i, step] of run.steps.entries()) {
      if (this.ending.has(run.id)) return null;
      try {
        step.applied = await this.applyStep(run, step, i, deadline);
      } catch (err) {
        step.error = (err as Error).message;
        // The lab may have taken it although the answer failed (a timeout): reverting a fault is harmless
        // either way. Traffic is not: a revert would stop the traffic the failed start left running.
        if (step.action.type !== "start-traffic") {
          await this.o.effects.revert(step.action, { target: processOf(step.action) }, this.effectMeta(run, `revert-${i + 1}`)).catch(() => undefined);
        }
        return `step ${i + 1} could not be applied: ${step.error}`;
      }
      step.target = step.applied.target;
      step.appliedAt = new Date().toISOString();
      await this.event(run, {
        action: "drill.apply",
        actor,
        title: `${run.title}: ${step.description}`,
        details: { step: i + 1, target: step.target, deadlineSeconds: deadline },
      });
    }
    return null;
  }

  /** A run at its end: a last look at the abort conditions, then completed (kept, under on-deviation) or aborted. */
  private async finishDue(run: DrillRun): Promise<void> {
    try {
      if (run.status !== "running") return;
      const verdict = run.abortWhen.length
        ? abortVerdict(run.abortWhen, await this.o.effects.sloReport(SLO_READ_TIMEOUT_MS).catch(() => ({ slos: [] })))
        : null;
      await this.end(run, verdict ? "aborted" : "completed", ENGINE, verdict?.reason ?? null);
    } catch (err) {
      this.o.onError?.(`drill run ${run.id} could not be ended; the supervisor reverts it at ${run.deadlineAt}`, err);
    }
  }

  /** One pass of the watch: abort conditions of running runs and kept rollouts; kept rollouts past their deadline. */
  private async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const now = Date.now();
      for (const run of [...this.runs.values()].filter((r) => r.kept && !holding(r, now))) {
        run.kept = false;
        await this.event(run, { action: "drill.expire", actor: ENGINE, title: `${run.title}: kept change reverted by the supervisor at its deadline` });
      }
      const watched = [...this.runs.values()].filter((r) => (r.status === "running" || r.kept) && r.abortWhen.length > 0 && !this.ending.has(r.id));
      if (watched.length === 0) return;
      const report = await this.o.effects.sloReport(SLO_READ_TIMEOUT_MS);
      for (const run of watched) {
        const verdict = abortVerdict(run.abortWhen, report);
        if (verdict) await this.end(run, "aborted", ENGINE, run.kept ? `kept change rolled back: ${verdict.reason}` : verdict.reason);
      }
    } catch (err) {
      this.o.onError?.("drill watch pass failed; the supervisor's deadlines still hold", err);
    } finally {
      this.checking = false;
    }
  }

  /** Ends a run once: waits for its start, reverts what is applied (last step first), then records the end. */
  private end(run: DrillRun, status: DrillRun["status"], actor: Pick<Actor, "userId" | "role">, reason: string | null): Promise<void> {
    const pending = this.ending.get(run.id);
    if (pending) return pending;
    if (!holding(run)) return Promise.resolve();
    const ending = (async () => {
      this.disarm(run.id);
      await this.starting.get(run.id);
      const applied = run.status === "running" || run.kept;
      const keep = status === "completed" && run.rollback === "on-deviation";
      if (applied && !keep) await this.revertSteps(run, actor);
      // The run shows its end only once its effects are gone.
      Object.assign(run, { status, abortReason: reason, kept: keep, endedAt: new Date().toISOString() });
      const title = `${run.title} ${status}${reason ? `: ${reason}` : ""}${keep ? ` (change kept until ${run.deadlineAt})` : ""}`;
      await this.event(run, { action: `drill.${END_ACTIONS[status] ?? "fail"}`, actor, title, details: reason ? { reason } : {} });
    })().finally(() => {
      this.ending.delete(run.id);
      this.prune();
    });
    this.ending.set(run.id, ending);
    return ending;
  }

  private async revertSteps(run: DrillRun, actor: Pick<Actor, "userId" | "role">): Promise<void> {
    for (const [i, step] of [...run.steps.entries()].reverse()) {
      if (!step.appliedAt || step.revertedAt) continue;
      try {
        await this.o.effects.revert(step.action, step.applied!, this.effectMeta(run, `revert-${i + 1}`));
        step.revertedAt = new Date().toISOString();
        await this.event(run, { action: "drill.revert", actor, title: `${run.title}: reverted ${step.target}`, details: { step: i + 1, target: step.target } });
      } catch (err) {
        const bound = step.action.type === "start-traffic" ? "the spike ends by itself at the deadline" : `the supervisor reverts it at ${run.deadlineAt}`;
        step.error = `revert failed (${(err as Error).message}); ${bound}`;
        await this.event(run, {
          action: "drill.revert",
          actor,
          title: `${run.title}: revert of ${step.target} failed`,
          outcome: "failed",
          details: { step: i + 1, error: step.error },
        });
      }
    }
  }

  private event(run: DrillRun, event: TimelineEvent): Promise<void> {
    return recordRunEvent(this.o.control, run, event, new Date());
  }

  private effectMeta(run: DrillRun, step: string) {
    return { requestId: `${run.id}-${step}`, traceparent: `00-${run.traceId}-${randomBytes(8).toString("hex")}-01` };
  }

  /** A timer at `atMs`, however far away (Node fires longer waits at once, so they are re-armed). */
  private arm(key: string, atMs: number, fire: () => void): void {
    const wait = atMs - Date.now();
    this.timers.set(
      key,
      setTimeout(() => (wait > MAX_TIMER_MS ? this.arm(key, atMs, fire) : (this.timers.delete(key), fire())), Math.max(0, Math.min(wait, MAX_TIMER_MS))),
    );
  }

  private disarm(runId: string): void {
    for (const key of [`${runId}:start`, `${runId}:end`]) {
      clearTimeout(this.timers.get(key));
      this.timers.delete(key);
    }
  }

  /** Forgets the oldest ended runs beyond the bound (the control database keeps them). */
  private prune(): void {
    const ended = [...this.runs.values()].filter((r) => !holding(r) && !this.ending.has(r.id));
    for (const r of ended.slice(0, Math.max(0, ended.length - KEPT_ENDED_RUNS))) this.runs.delete(r.id);
  }
}

function permit(actor: Actor): void {
  const decision = authorize(actor, "drill.run");
  if (!decision.allowed) throw new LabError("forbidden", decision.reason);
}

function targetOf(action: DrillStep["apply"]): string {
  switch (action.type) {
    case "set-faults":
      return `faults:${action.service}`;
    case "set-event-faults":
      return "faults:projector";
    case "start-traffic":
      return "traffic";
    case "lock-shard":
      return `write-lock:shard-${action.shard}`;
    default:
      return `process:${action.process}`;
  }
}
