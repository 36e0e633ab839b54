// A drill run's record: its view (what the API and the portal show), and its rows in the control
// database: drill_runs for history, and every step on the control timeline (audit chain + annotation),
// each written with the run's state change in one transaction.
import type { AuditFacts } from "../audit/audit-chain.ts";
import { recordOnTimeline } from "../audit/control-timeline.ts";
import type { Actor } from "../auth/roles.ts";
import type { SqlDatabase } from "../data/sql-database.ts";
import { rowValues, tableOf } from "../data/tables.ts";
import type { BlastRadius, DrillAction } from "./drill-catalog.ts";
import type { AbortCondition, DrillSchedule } from "./drill-request.ts";
import type { AppliedEffect } from "./lab-effects.ts";

export type DrillRunStatus = "scheduled" | "running" | "completed" | "aborted" | "failed" | "cancelled" | "interrupted";

export interface DrillStepState {
  description: string;
  action: DrillAction;
  target: string | null;
  appliedAt: string | null;
  revertedAt: string | null;
  error: string | null;
  applied: AppliedEffect | null;
}

export interface DrillRun {
  id: string;
  drill: string;
  title: string;
  status: DrillRunStatus;
  params: Record<string, unknown>;
  durationSeconds: number;
  rollback: "always" | "on-deviation";
  abortWhen: AbortCondition[];
  schedule: DrillSchedule | null;
  radius: BlastRadius;
  startedBy: string;
  requestId: string;
  traceId: string;
  scheduledFor: string | null;
  startedAt: string | null;
  /** When the run's observation ends (and, with rollback "always", its effects are reverted). */
  endsAt: string | null;
  /** When the supervisor's deadman reverts whatever is left, engine or not. */
  deadlineAt: string | null;
  endedAt: string | null;
  abortReason: string | null;
  /** A completed on-deviation run whose change was kept (until its deadline). */
  kept: boolean;
  steps: DrillStepState[];
}

export type TimelineEvent = {
  action: string;
  actor: Pick<Actor, "userId" | "role">;
  title: string;
  details?: Record<string, unknown>;
  outcome?: AuditFacts["outcome"];
  endAt?: Date | null;
};

/** Writes the run's row (insert or update) and one timeline entry for what just happened to it. */
export async function recordRunEvent(control: SqlDatabase, run: DrillRun, event: TimelineEvent, now: Date): Promise<void> {
  await recordOnTimeline(
    control,
    {
      occurredAt: now,
      actorId: event.actor.userId,
      actorRole: event.actor.role,
      action: event.action,
      entityType: "DrillRun",
      entityId: run.id,
      patientId: null,
      requestId: run.requestId,
      traceId: run.traceId,
      outcome: event.outcome ?? "success",
      details: { drill: run.drill, status: run.status, targets: run.steps.map((s) => s.target ?? s.description), startedBy: run.startedBy, ...event.details },
    },
    {
      endAt: event.endAt ?? null,
      kind: "drill",
      title: event.title,
      body: JSON.stringify({ drill: run.drill, status: run.status, ...event.details }),
      tags: JSON.stringify(["drill", `drill:${run.drill}`]),
      drillRunId: run.id,
    },
    (tx) => saveRun(tx, run, now),
  );
}

async function saveRun(tx: SqlDatabase, run: DrillRun, now: Date): Promise<void> {
  const row = {
    id: run.id,
    drillKey: run.drill,
    status: run.status,
    params: JSON.stringify({
      params: run.params,
      durationSeconds: run.durationSeconds,
      rollback: run.rollback,
      abortWhen: run.abortWhen,
      schedule: run.schedule,
      radius: run.radius,
      title: run.title,
      requestId: run.requestId,
      traceId: run.traceId,
      kept: run.kept,
      endsAt: run.endsAt,
    }),
    targets: JSON.stringify(run.steps.map(({ applied: _applied, ...step }) => step)),
    actorId: run.startedBy,
    startedAt: new Date(run.startedAt ?? run.scheduledFor ?? now.toISOString()),
    deadlineAt: new Date(run.deadlineAt ?? run.endsAt ?? run.scheduledFor ?? now.toISOString()),
    endedAt: run.endedAt ? new Date(run.endedAt) : null,
    abortReason: run.abortReason,
  };
  const spec = tableOf("DrillRun");
  await tx.execute(`DELETE FROM "drill_runs" WHERE "id" = ?`, [run.id]);
  await tx.insertMany(spec.table, spec.columns, rowValues(spec, [row]));
}

/** Runs kept in the control database, newest first (the history behind the engine's live runs). */
export async function readRunHistory(control: SqlDatabase, limit: number): Promise<DrillRun[]> {
  const rows = await control.query<{
    id: string;
    drillKey: string;
    status: string;
    params: string;
    targets: string;
    actorId: string;
    startedAt: Date;
    deadlineAt: Date;
    endedAt: Date | null;
    abortReason: string | null;
  }>(
    `SELECT "id", "drillKey", "status", "params", "targets", "actorId", "startedAt", "deadlineAt", "endedAt", "abortReason" FROM "drill_runs" ORDER BY "startedAt" DESC LIMIT ?`,
    [limit],
  );
  return rows.map((r) => {
    const p = JSON.parse(r.params) as Partial<DrillRun> & { params: Record<string, unknown> };
    return {
      id: r.id,
      drill: r.drillKey,
      title: p.title ?? r.drillKey,
      status: r.status as DrillRunStatus,
      params: p.params,
      durationSeconds: p.durationSeconds ?? 0,
      rollback: p.rollback ?? "always",
      abortWhen: p.abortWhen ?? [],
      schedule: p.schedule ?? null,
      radius: p.radius ?? { services: [], shards: "all", personas: "all" },
      startedBy: r.actorId,
      requestId: p.requestId ?? "",
      traceId: p.traceId ?? "",
      scheduledFor: null,
      startedAt: r.startedAt.toISOString(),
      endsAt: p.endsAt ?? null,
      deadlineAt: r.deadlineAt.toISOString(),
      endedAt: r.endedAt?.toISOString() ?? null,
      abortReason: r.abortReason,
      kept: p.kept ?? false,
      steps: (JSON.parse(r.targets) as Omit<DrillStepState, "applied">[]).map((s) => ({ ...s, applied: null })),
    };
  });
}
