// The exercise conductor (in the drill engine's process), the game master's hands: it starts an exercise's
// traffic, launches its hidden faults on the exercise's clock through the drill engine (so every guardrail
// and the supervisor's deadman hold), records the player's acts and the instructor's hints, and at the end
// (time limit, the instructor, or the player's "resolved" plus the minutes the SLIs need) reverts what is
// left, scores the run from the audit and the SLIs, and records it. One exercise runs at a time.
import { randomBytes } from "node:crypto";
import { readRecordedRuns, recordOnTimeline } from "../audit/control-timeline.ts";
import { type Action, authorize } from "../auth/policy.ts";
import type { Actor } from "../auth/roles.ts";
import type { SqlDatabase } from "../data/sql-database.ts";
import type { DrillEngine, RequestMeta } from "../drills/drill-engine.ts";
import type { ExerciseLab } from "../drills/lab-effects.ts";
import { LabError } from "../errors/index.ts";
import type { SloDefinition } from "../slo/load-slos.ts";
import { type Exercise, isNoFault, mitigationSlos, touchedSlos } from "./exercise-catalog.ts";
import {
  type ExerciseRun,
  type InstructorView,
  type PlayerActInput,
  type PlayerView,
  describeAct,
  instructorView,
  isOver,
  playerView,
} from "./exercise-run.ts";
import { type PulledLever, type ScoreFacts, scoreExercise } from "./exercise-score.ts";

export interface ExerciseConductorOptions {
  exercises: readonly Exercise[];
  slos: readonly SloDefinition[];
  engine: Pick<DrillEngine, "launch" | "abort">;
  control: SqlDatabase;
  /** SLO reads, and the simulator's traffic: the exercise's profile (with its seed), or back to the usual one. */
  lab: ExerciseLab;
  onError?: (message: string, err: unknown) => void;
  /** How often a resolved run looks whether its score can still change (15 s). */
  settleEveryMs?: number;
}

/** Who conducts: the faults are the drill engine's (an instructor identity), never the player's. */
const CONDUCTOR: Actor = { userId: "drill-engine", role: "instructor", facilityId: null, patientId: null };
const KEPT_ENDED_RUNS = 20;
const SETTLE_EVERY_MS = 15_000;

export class ExerciseConductor {
  private readonly runs = new Map<string, ExerciseRun>();
  private readonly timers = new Map<string, NodeJS.Timeout[]>();
  private readonly ending = new Map<string, Promise<void>>();

  constructor(private readonly o: ExerciseConductorOptions) {}

  /** The catalog with its hidden part: the game master's. */
  catalog(actor: Actor) {
    permit(actor, "exercise.run");
    return this.o.exercises;
  }

  async start(actor: Actor, name: string, meta: RequestMeta, now = new Date()): Promise<InstructorView> {
    permit(actor, "exercise.run");
    const exercise = this.exerciseNamed(name);
    const live = [...this.runs.values()].find((r) => !isOver(r));
    if (live) throw new LabError("conflict", `exercise run ${live.id} (${live.exercise}) is under way; end it first`, { field: "exercise" });
    const start = now.getTime();
    const run: ExerciseRun = {
      id: `exr-${start.toString(36)}-${randomBytes(3).toString("hex")}`,
      exercise: exercise.name,
      title: exercise.title,
      briefing: exercise.briefing,
      status: "running",
      startedBy: actor.userId,
      requestId: meta.requestId,
      traceId: meta.traceId,
      startedAt: now.toISOString(),
      endsAt: new Date(start + exercise.timeLimitSeconds * 1000).toISOString(),
      endedAt: null,
      endReason: null,
      resolvedAt: null,
      faults: exercise.hidden.faults.map((f) => ({
        afterSeconds: f.afterSeconds,
        drill: f.drill,
        dueAt: new Date(start + f.afterSeconds * 1000).toISOString(),
        drillRunId: null,
        launchedAt: null,
        error: null,
      })),
      hints: [],
      acts: [],
      // The score counts other SLOs' bad minutes, not their budgets (a young lab's budget is minutes' worth).
      budgetsAtStart: null,
      budgetsAtEnd: null,
      score: null,
    };
    this.runs.set(run.id, run); // before any await: a second start now sees this one
    try {
      await this.o.lab.setTraffic({ ...exercise.hidden.traffic, durationSeconds: exercise.timeLimitSeconds }, meta);
      await this.record(run, "exercise.start", actor, `exercise ${run.title} started`, { exercise: run.exercise });
    } catch (err) {
      this.runs.delete(run.id);
      throw err;
    }
    const timers = exercise.hidden.faults.map((fault, i) => setTimeout(() => void this.inject(run, i, fault), fault.afterSeconds * 1000));
    timers.push(setTimeout(() => void this.finish(run, "the time limit"), exercise.timeLimitSeconds * 1000));
    this.timers.set(run.id, timers);
    return instructorView(run, exercise);
  }

  /** The player's act: acknowledge, declare an incident, diagnose, resolve. */
  async act(actor: Actor, id: string, input: PlayerActInput, now = new Date()): Promise<PlayerView> {
    permit(actor, "exercise.play");
    const run = this.liveRun(id);
    if (run.status !== "running") throw new LabError("conflict", `exercise run ${id} is ${run.status}: it takes no more acts`, { field: "runId" });
    if (input.type === "acknowledge" && run.acts.some((a) => a.type === "acknowledge"))
      throw new LabError("conflict", "the page was acknowledged already", { field: "type" });
    run.acts.push({ ...input, at: now.toISOString(), by: actor.userId });
    await this.record(run, "exercise.act", actor, `${actor.userId}: ${describeAct(input)}`, { act: input.type });
    if (input.type === "resolve") {
      run.status = "resolving";
      run.resolvedAt = now.toISOString();
      // The SLIs need their minutes to show the mitigation held; the run ends once they have (or cannot), at the
      // latest those minutes and one more after "resolved", or its time limit.
      const deadline = Math.min(Date.parse(run.endsAt), now.getTime() + (this.exerciseNamed(run.exercise).withinSloMinutes + 1) * 60_000);
      this.timers.get(run.id)?.push(setTimeout(() => void this.settle(run, `resolved by ${actor.userId}`, deadline), 0));
    }
    return playerView(run, this.exerciseNamed(run.exercise), now);
  }

  async hint(actor: Actor, id: string, text: string, now = new Date()): Promise<InstructorView> {
    permit(actor, "exercise.run");
    const run = this.liveRun(id);
    if (isOver(run)) throw new LabError("conflict", `exercise run ${id} is over`, { field: "runId" });
    run.hints.push({ at: now.toISOString(), by: actor.userId, text });
    await this.record(run, "exercise.hint", actor, `hint: ${text}`, { hint: run.hints.length });
    return instructorView(run, this.exerciseNamed(run.exercise));
  }

  async end(actor: Actor, id: string): Promise<InstructorView> {
    permit(actor, "exercise.run");
    const run = this.liveRun(id);
    if (isOver(run)) throw new LabError("conflict", `exercise run ${id} is over already`, { field: "runId" });
    await this.finish(run, `ended by ${actor.userId}`, actor);
    return instructorView(run, this.exerciseNamed(run.exercise));
  }

  /** The exercise under way, or the last one, as its player sees it. */
  current(actor: Actor, now = new Date()): PlayerView {
    permit(actor, "exercise.play");
    const run = [...this.runs.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
    if (!run) throw new LabError("not_found", "no exercise has been played since the drill engine started; the instructor starts one", { field: "exercise" });
    return playerView(run, this.exerciseNamed(run.exercise), now);
  }

  async get(actor: Actor, id: string): Promise<InstructorView> {
    permit(actor, "exercise.run");
    const run = await this.runOf(id);
    return instructorView(run, this.exerciseNamed(run.exercise));
  }

  async list(actor: Actor): Promise<ExerciseRun[]> {
    permit(actor, "exercise.run");
    const history = await this.history(100);
    return [...this.runs.values(), ...history.filter((h) => !this.runs.has(h.id))].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  /** The run with its truth, for the review: the instructor's at any time, the player's once it is over. */
  async review(actor: Actor, id: string): Promise<InstructorView> {
    permit(actor, "exercise.play");
    const run = await this.runOf(id);
    if (!isOver(run) && !authorize(actor, "exercise.run").allowed)
      throw new LabError("conflict", `exercise run ${id} is under way: its review comes at its end`, { field: "runId" });
    return instructorView(run, this.exerciseNamed(run.exercise));
  }

  /** Runs a previous engine left under way never ended: they are marked failed. */
  async recover(now = new Date()): Promise<number> {
    const starts = await readRecordedRuns<ExerciseRun>(this.o.control, "exercise", "exercise-start", 200);
    const ended = new Set((await this.history(400)).map((r) => r.id));
    const stale = starts.filter((r) => !ended.has(r.id) && !this.runs.has(r.id));
    for (const run of stale) {
      Object.assign(run, { status: "failed", endedAt: now.toISOString(), endReason: "the drill engine restarted during the exercise" });
      await this.record(run, "exercise.end", CONDUCTOR, `exercise ${run.title} failed: the drill engine restarted during it`, { run }, "failed");
    }
    return stale.length;
  }

  async close(): Promise<void> {
    await Promise.all([...this.runs.values()].filter((r) => !isOver(r)).map((r) => this.finish(r, "the drill engine stopped")));
  }

  /**
   * A resolved run ends as soon as its score cannot change: no accepted lever was pulled (or nothing was
   * wrong), or the faulty SLOs have held their objective for the exercise's minutes after the lever. Until
   * then it looks again every settleEveryMs, up to the deadline.
   */
  private async settle(run: ExerciseRun, reason: string, deadline: number): Promise<void> {
    if (isOver(run) || this.ending.has(run.id)) return;
    const exercise = this.exerciseNamed(run.exercise);
    let settled = Date.now() >= deadline;
    if (!settled) {
      try {
        const { mitigation } = scoreExercise(exercise, await this.scoreFacts(run, new Date(), { collateral: false }));
        settled = isNoFault(exercise) || mitigation.lever === null || mitigation.withinSlo;
      } catch (err) {
        this.o.onError?.(`exercise run ${run.id}: its SLIs could not be read while it resolved`, err);
      }
    }
    if (settled) return this.finish(run, reason);
    const next = setTimeout(
      () => void this.settle(run, reason, deadline),
      Math.min(this.o.settleEveryMs ?? SETTLE_EVERY_MS, Math.max(0, deadline - Date.now())),
    );
    this.timers.get(run.id)?.push(next);
  }

  private async inject(run: ExerciseRun, index: number, fault: Exercise["hidden"]["faults"][number]): Promise<void> {
    if (run.status !== "running") return;
    const slot = run.faults[index]!;
    try {
      const { afterSeconds: _, ...launch } = fault;
      const launched = await this.o.engine.launch(CONDUCTOR, launch, { requestId: run.requestId, traceId: run.traceId });
      Object.assign(slot, { drillRunId: launched.id, launchedAt: new Date().toISOString() });
    } catch (err) {
      slot.error = (err as Error).message;
      this.o.onError?.(`exercise run ${run.id}: its fault ${index + 1} (${fault.drill}) was refused`, err);
    }
  }

  private finish(run: ExerciseRun, reason: string, actor: Actor = CONDUCTOR): Promise<void> {
    const pending = this.ending.get(run.id);
    if (pending) return pending;
    const ending = (async () => {
      for (const t of this.timers.get(run.id) ?? []) clearTimeout(t);
      this.timers.delete(run.id);
      const endedAt = new Date();
      const meta = { requestId: run.requestId, traceId: run.traceId };
      // Nothing of the exercise is left acting on the lab: its faults reverted, the usual traffic back.
      await Promise.all(run.faults.filter((f) => f.drillRunId).map((f) => this.o.engine.abort(CONDUCTOR, f.drillRunId!).catch(() => undefined)));
      await this.o.lab.setTraffic(null, meta).catch((err: unknown) => this.o.onError?.(`exercise run ${run.id}: the usual traffic could not be restored`, err));
      try {
        run.score = scoreExercise(this.exerciseNamed(run.exercise), await this.scoreFacts(run, endedAt));
      } catch (err) {
        this.o.onError?.(`exercise run ${run.id}: it could not be scored`, err);
      }
      Object.assign(run, { status: "ended", endedAt: endedAt.toISOString(), endReason: reason });
      try {
        await this.record(run, "exercise.end", actor, `exercise ${run.title} ended (${reason}): ${run.score?.points ?? "no"} points`, { run });
      } catch (err) {
        this.o.onError?.(`exercise run ${run.id}: its end could not be recorded`, err);
      }
      const ended = [...this.runs.values()].filter(isOver);
      for (const r of ended.slice(0, Math.max(0, ended.length - KEPT_ENDED_RUNS))) this.runs.delete(r.id);
    })();
    this.ending.set(run.id, ending);
    return ending.finally(() => this.ending.delete(run.id));
  }

  /** What the score is made of, read from the lab: the player's levers in the audit, the faulty SLOs' minutes. */
  private async scoreFacts(run: ExerciseRun, endedAt: Date, o: { collateral: boolean } = { collateral: true }): Promise<ScoreFacts> {
    const exercise = this.exerciseNamed(run.exercise);
    const rows = await this.o.control.query<{ occurredAt: unknown; action: string; entityId: string }>(
      `SELECT "occurredAt", "action", "entityId" FROM "audit_entries" WHERE "actorRole" = 'oncall' AND "occurredAt" >= ? AND "occurredAt" <= ? ORDER BY "sequence"`,
      [new Date(run.startedAt), endedAt],
    );
    // Every audited act of the on-call role in the run: the score keeps those that are levers (mitigationOf).
    const levers: PulledLever[] = rows.map((r) => ({ at: new Date(r.occurredAt as string).toISOString(), action: r.action, target: r.entityId }));
    const minutes = Math.min(1440, Math.max(5, Math.ceil((endedAt.getTime() - Date.parse(run.startedAt)) / 60_000) + 2));
    const sliOf = async (name: string) => {
      const history = await this.o.lab.sloHistory(name, minutes);
      return {
        slo: name,
        target: this.o.slos.find((s) => s.name === name)?.target ?? 0.999,
        minutes: history.points.filter((p) => p.at >= run.startedAt).map((p) => ({ at: p.at, requests: p.requests, bad: p.bad })),
      };
    };
    const slis = await Promise.all(mitigationSlos(exercise, this.o.slos).map(sliOf));
    const touched = touchedSlos(exercise, this.o.slos);
    const collateral = o.collateral
      ? await Promise.all(
          this.o.slos
            .filter((s) => !touched.includes(s.name))
            .map((s) =>
              sliOf(s.name).catch((err: unknown) => {
                this.o.onError?.(`exercise run ${run.id}: ${s.name}'s minutes could not be read for the collateral`, err);
                return null;
              }),
            ),
        )
      : [];
    const launched = run.faults.map((f) => f.launchedAt).filter((t): t is string => t !== null);
    const diagnoses = run.acts.flatMap((a) => (a.type === "diagnose" ? [{ at: a.at, entity: a.entity, faultClass: a.faultClass }] : []));
    return {
      startedAt: run.startedAt,
      endedAt: endedAt.toISOString(),
      injectedAt: launched.sort()[0] ?? null,
      acknowledgedAt: run.acts.find((a) => a.type === "acknowledge")?.at ?? null,
      incidentAt: run.acts.find((a) => a.type === "declare-incident")?.at ?? null,
      diagnoses,
      levers,
      hints: run.hints.length,
      slis,
      collateral: collateral.filter((c) => c !== null),
    };
  }

  private exerciseNamed(name: string): Exercise {
    const exercise = this.o.exercises.find((e) => e.name === name);
    if (!exercise)
      throw new LabError("not_found", `no exercise ${JSON.stringify(name)} (exercises: ${this.o.exercises.map((e) => e.name).join(", ")})`, {
        field: "exercise",
      });
    return exercise;
  }

  private liveRun(id: string): ExerciseRun {
    const run = this.runs.get(id);
    if (!run) throw new LabError("not_found", `no exercise run ${id} in play`, { field: "runId" });
    return run;
  }

  private async runOf(id: string): Promise<ExerciseRun> {
    const run = this.runs.get(id) ?? (await this.history(1000)).find((r) => r.id === id);
    if (!run) throw new LabError("not_found", `no exercise run ${id}`, { field: "runId" });
    return run;
  }

  private history(limit: number): Promise<ExerciseRun[]> {
    return readRecordedRuns<ExerciseRun>(this.o.control, "exercise", "exercise-end", limit);
  }

  /** An audited entry and a timeline annotation; the annotation's body keeps the run (hidden part included: the timeline is not the player's). */
  private record(
    run: ExerciseRun,
    action: string,
    actor: Pick<Actor, "userId" | "role">,
    title: string,
    details: Record<string, unknown>,
    outcome: "success" | "failed" = "success",
  ): Promise<void> {
    const tag = action === "exercise.start" ? "exercise-start" : action === "exercise.end" ? "exercise-end" : "exercise-act";
    const { run: _, ...auditDetails } = details;
    return recordOnTimeline(
      this.o.control,
      {
        occurredAt: new Date(),
        actorId: actor.userId,
        actorRole: actor.role,
        action,
        entityType: "ExerciseRun",
        entityId: run.id,
        patientId: null,
        requestId: run.requestId,
        traceId: run.traceId,
        outcome,
        // What the player may read in the audit: the exercise's name and the act, never its faults.
        details: { exercise: run.exercise, status: run.status, ...auditDetails, ...(run.score ? { points: run.score.points } : {}) },
      },
      {
        endAt: action === "exercise.start" ? new Date(run.endsAt) : null,
        kind: "exercise",
        title,
        body: JSON.stringify({ exerciseRunId: run.id, run }),
        tags: JSON.stringify(["exercise", tag, `exercise:${run.exercise}`]),
        drillRunId: null,
      },
    );
  }
}

function permit(actor: Actor, action: Action): void {
  const decision = authorize(actor, action);
  if (!decision.allowed) throw new LabError("forbidden", decision.reason);
}
