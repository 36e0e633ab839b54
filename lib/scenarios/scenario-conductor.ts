// The scenario conductor (in the drill engine's process): plays a scenario's script on its clock, each
// cue on the control timeline and each drill launched through the drill engine as the instructor who
// started the scenario, under the scenario's request id and trace, so an audit search by either finds the
// whole story. One scenario runs at a time. A stop cancels the steps to come and aborts its live drills.
import { randomBytes } from "node:crypto";
import { readRecordedRuns, readTimeline, recordOnTimeline } from "../audit/control-timeline.ts";
import { authorize } from "../auth/policy.ts";
import type { Actor } from "../auth/roles.ts";
import type { SqlDatabase } from "../data/sql-database.ts";
import type { DrillEngine, RequestMeta } from "../drills/drill-engine.ts";
import type { DrillRun } from "../drills/drill-runs.ts";
import { LabError } from "../errors/index.ts";
import type { SloReport } from "../slo/slo-status.ts";
import { type Narrative, type NarrativeDrill, buildNarrative } from "./narrative.ts";
import type { ScenarioRun, ScenarioRunStatus } from "./scenario-run.ts";
import type { Scenario } from "./scenario-script.ts";

export interface ScenarioConductorOptions {
  scenarios: readonly Scenario[];
  engine: Pick<DrillEngine, "launch" | "abort" | "get">;
  control: SqlDatabase;
  /** The SLOs now (the gateway's report) within `timeoutMs`; budgets at start and end, alerts for the narrative. */
  sloReport: (timeoutMs: number) => Promise<SloReport>;
  /** Pause between tries of a budget read (0.5 s; tests shorten it). */
  retryAfterMs?: number;
  onError?: (message: string, err: unknown) => void;
}

const CONDUCTOR: Actor = { userId: "drill-engine", role: "instructor", facilityId: null, patientId: null };
const KEPT_ENDED_RUNS = 50;
// The budgets at a run's start and end are what its narrative's spend is counted from, read once each: on
// a machine the lab has saturated the gateway's report can take seconds, so they get more time than a
// page's read of the alerts, and a quick failure (a gateway restarting) another try. All within 7.5 s: the
// start and the stop answer the portal, which waits 10 s for a write.
const BUDGET_READ = { withinMs: 7500, timeoutMs: 6000, tries: 3 };
const NARRATIVE_READ_TIMEOUT_MS = 5000;

export class ScenarioConductor {
  private readonly runs = new Map<string, ScenarioRun>();
  private readonly timers = new Map<string, NodeJS.Timeout[]>();
  private readonly ending = new Map<string, Promise<void>>();

  constructor(private readonly o: ScenarioConductorOptions) {}

  catalog() {
    return this.o.scenarios.map((s) => ({
      name: s.name,
      title: s.title,
      description: s.description,
      watch: s.watch,
      durationSeconds: s.durationSeconds,
      steps: s.steps.map((step) => ({
        afterSeconds: step.afterSeconds,
        cue: step.cue,
        drill: step.drill ? { drill: step.drill.drill, durationSeconds: step.drill.durationSeconds } : null,
      })),
    }));
  }

  async start(actor: Actor, name: string, meta: RequestMeta, now = new Date()): Promise<ScenarioRun> {
    permit(actor);
    const scenario = this.o.scenarios.find((s) => s.name === name);
    if (!scenario)
      throw new LabError("not_found", `no scenario ${JSON.stringify(name)} (scenarios: ${this.o.scenarios.map((s) => s.name).join(", ")})`, {
        field: "scenario",
      });
    const running = [...this.runs.values()].find((r) => r.status === "running");
    if (running) throw new LabError("conflict", `scenario run ${running.id} (${running.scenario}) is running; stop it first`, { field: "scenario" });
    const start = now.getTime();
    const run: ScenarioRun = {
      id: `scn-${start.toString(36)}-${randomBytes(3).toString("hex")}`,
      scenario: scenario.name,
      title: scenario.title,
      status: "running",
      startedBy: actor.userId,
      requestId: meta.requestId,
      traceId: meta.traceId,
      startedAt: now.toISOString(),
      endsAt: new Date(start + scenario.durationSeconds * 1000).toISOString(),
      endedAt: null,
      endReason: null,
      watch: scenario.watch,
      budgetsAtStart: null,
      budgetsAtEnd: null,
      steps: scenario.steps.map((s) => ({
        afterSeconds: s.afterSeconds,
        cue: s.cue,
        drill: s.drill?.drill ?? null,
        dueAt: new Date(start + s.afterSeconds * 1000).toISOString(),
        cuedAt: null,
        drillRunId: null,
        error: null,
      })),
    };
    this.runs.set(run.id, run); // before any await: a second start now sees this one running
    try {
      run.budgetsAtStart = await this.budgets(run);
      await this.event(run, "scenario.start", actor, `scenario ${run.title} started by ${actor.userId}`, { event: "start", run });
    } catch (err) {
      this.runs.delete(run.id);
      throw err;
    }
    const timers = scenario.steps.map((step, i) =>
      setTimeout(() => void this.play(run, i, actor, step.drill), Math.max(0, Date.parse(run.steps[i]!.dueAt) - Date.now())),
    );
    timers.push(setTimeout(() => void this.finish(run, "completed", null), Math.max(0, Date.parse(run.endsAt) - Date.now())));
    this.timers.set(run.id, timers);
    return run;
  }

  /** Stops a running scenario: the steps to come are cancelled and its live drills aborted. */
  async stop(actor: Actor, id: string): Promise<ScenarioRun> {
    permit(actor);
    const run = await this.get(id);
    if (run.status !== "running" || !this.runs.has(id))
      throw new LabError("conflict", `scenario run ${id} is ${run.status}: nothing to stop`, { field: "runId" });
    await this.finish(run, "stopped", `stopped by ${actor.userId}`, actor);
    return run;
  }

  async list(): Promise<ScenarioRun[]> {
    const history = await this.history(100);
    return [...this.runs.values(), ...history.filter((h) => !this.runs.has(h.id))].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  async get(id: string): Promise<ScenarioRun> {
    const run = this.runs.get(id) ?? (await this.history(1000)).find((r) => r.id === id);
    if (!run) throw new LabError("not_found", `no scenario run ${id}`, { field: "runId" });
    return run;
  }

  async narrative(id: string, now = new Date()): Promise<Narrative> {
    const run = await this.get(id);
    const to = run.endedAt ? new Date(Date.parse(run.endedAt) + 1000) : now;
    const [annotations, report, drills] = await Promise.all([
      readTimeline(this.o.control, new Date(run.startedAt), to),
      this.o.sloReport(NARRATIVE_READ_TIMEOUT_MS).catch(() => null),
      Promise.all(run.steps.filter((s) => s.drillRunId).map((s) => this.o.engine.get(s.drillRunId!).then(drillOfRun, () => null))),
    ]);
    return buildNarrative(
      run,
      annotations,
      drills.filter((d): d is NarrativeDrill => d !== null),
      report,
      now,
    );
  }

  /** Scenarios a previous engine left running never finished their script: they are marked failed. */
  async recover(now = new Date()): Promise<number> {
    const starts = await readRecordedRuns<ScenarioRun>(this.o.control, "scenario", "scenario-start", 200);
    const ended = new Set((await this.history(400)).map((r) => r.id));
    const stale = starts.filter((r) => !ended.has(r.id) && !this.runs.has(r.id));
    for (const run of stale) {
      Object.assign(run, { status: "failed", endedAt: now.toISOString(), endReason: "the drill engine restarted during the scenario" });
      await this.event(run, "scenario.end", CONDUCTOR, `scenario ${run.title} failed: the drill engine restarted during it`, { event: "end", run }, "failed");
    }
    return stale.length;
  }

  async close(): Promise<void> {
    const live = [...this.runs.values()].filter((r) => r.status === "running");
    await Promise.all(live.map((r) => this.finish(r, "stopped", "the drill engine stopped")));
  }

  private async play(run: ScenarioRun, index: number, actor: Actor, drill: Scenario["steps"][number]["drill"]): Promise<void> {
    if (run.status !== "running") return;
    const step = run.steps[index]!;
    step.cuedAt = new Date().toISOString();
    let outcome = "";
    if (drill) {
      try {
        const launched = await this.o.engine.launch(actor, drill, { requestId: run.requestId, traceId: run.traceId });
        step.drillRunId = launched.id;
        outcome = `; drill ${drill.drill} launched as ${launched.id}`;
      } catch (err) {
        step.error = (err as Error).message;
        outcome = `; drill ${drill.drill} refused: ${step.error}`;
      }
    }
    try {
      await this.event(
        run,
        "scenario.cue",
        actor,
        `cue ${index + 1}: ${step.cue}${outcome}`,
        { event: "cue", step: index + 1, drill: step.drill, drillRunId: step.drillRunId, error: step.error },
        step.error ? "failed" : "success",
        step.drillRunId,
      );
    } catch (err) {
      this.o.onError?.(`scenario run ${run.id}: cue ${index + 1} could not be recorded`, err);
    }
  }

  private finish(run: ScenarioRun, status: ScenarioRunStatus, reason: string | null, actor: Actor = CONDUCTOR): Promise<void> {
    const pending = this.ending.get(run.id);
    if (pending) return pending;
    const ending = (async () => {
      for (const t of this.timers.get(run.id) ?? []) clearTimeout(t);
      this.timers.delete(run.id);
      if (status === "stopped") {
        // Its drills end with it: a stopped scenario leaves nothing acting on the lab.
        const live = run.steps.filter((s) => s.drillRunId).map((s) => s.drillRunId!);
        await Promise.all(live.map((id) => this.o.engine.abort(actor, id).catch(() => undefined)));
      }
      Object.assign(run, { status, endedAt: new Date().toISOString(), endReason: reason });
      run.budgetsAtEnd = await this.budgets(run);
      try {
        await this.event(run, "scenario.end", actor, `scenario ${run.title} ${status}${reason ? `: ${reason}` : ""}`, { event: "end", run });
      } catch (err) {
        this.o.onError?.(`scenario run ${run.id}: its end could not be recorded`, err);
      }
      this.forgetOldRuns();
    })();
    this.ending.set(run.id, ending);
    return ending.finally(() => this.ending.delete(run.id));
  }

  private forgetOldRuns(): void {
    const ended = [...this.runs.values()].filter((r) => r.status !== "running");
    for (const r of ended.slice(0, Math.max(0, ended.length - KEPT_ENDED_RUNS))) this.runs.delete(r.id);
  }

  private async budgets(run: ScenarioRun): Promise<Record<string, number> | null> {
    const deadline = Date.now() + BUDGET_READ.withinMs;
    for (let attempt = 1; ; attempt++) {
      try {
        const report = await this.o.sloReport(Math.min(BUDGET_READ.timeoutMs, deadline - Date.now()));
        return Object.fromEntries(report.slos.filter((s) => run.watch.includes(s.name)).map((s) => [s.name, s.budgetRemaining]));
      } catch (err) {
        const pause = this.o.retryAfterMs ?? 500;
        if (attempt >= BUDGET_READ.tries || deadline - Date.now() < pause + 500) {
          this.o.onError?.(`scenario run ${run.id}: the SLOs could not be read for its budgets (${attempt} tries)`, err);
          return null;
        }
        await new Promise((r) => setTimeout(r, pause));
      }
    }
  }

  private history(limit: number): Promise<ScenarioRun[]> {
    return readRecordedRuns<ScenarioRun>(this.o.control, "scenario", "scenario-end", limit);
  }

  private event(
    run: ScenarioRun,
    action: string,
    actor: Pick<Actor, "userId" | "role">,
    title: string,
    body: Record<string, unknown>,
    outcome: "success" | "failed" = "success",
    drillRunId: string | null = null,
  ): Promise<void> {
    const at = new Date();
    const tag = action === "scenario.start" ? "scenario-start" : action === "scenario.end" ? "scenario-end" : "scenario-cue";
    return recordOnTimeline(
      this.o.control,
      {
        occurredAt: at,
        actorId: actor.userId,
        actorRole: actor.role,
        action,
        entityType: "ScenarioRun",
        entityId: run.id,
        patientId: null,
        requestId: run.requestId,
        traceId: run.traceId,
        outcome,
        details: { scenario: run.scenario, status: run.status, ...(body.step ? { step: body.step, drillRunId } : {}) },
      },
      {
        endAt: action === "scenario.start" ? new Date(run.endsAt) : null,
        kind: "scenario",
        title,
        body: JSON.stringify({ scenarioRunId: run.id, ...body }),
        tags: JSON.stringify(["scenario", tag, `scenario:${run.scenario}`]),
        drillRunId,
      },
    );
  }
}

function drillOfRun(d: DrillRun): NarrativeDrill {
  return { id: d.id, title: d.title, status: d.status, abortReason: d.abortReason, requestId: d.requestId, startedAt: d.startedAt, endedAt: d.endedAt };
}

function permit(actor: Actor): void {
  const decision = authorize(actor, "drill.run");
  if (!decision.allowed) throw new LabError("forbidden", decision.reason);
}
