// Every supervisor write (kill, pause, resume, restart, fault switch, deadline revert, emergency stop) is an
// entry in the control database's audit chain and an annotation on the lab's timeline, in one transaction:
// who, which process, until when.
import { recordOnTimeline } from "../audit/control-timeline.ts";
import type { Actor } from "../auth/roles.ts";
import type { SqlDatabase } from "../data/sql-database.ts";

export interface SupervisorAction {
  actor: Pick<Actor, "userId" | "role">;
  /** supervisor.kill, supervisor.pause, supervisor.lease-revert ... */
  action: string;
  /** The lab process acted on, or "lab" for the whole lab. */
  target: string;
  /** When the supervisor undoes it by itself (a lease's deadline). */
  deadline: Date | null;
  /** A short line for the timeline, e.g. "clinical paused". */
  title: string;
  details: Record<string, unknown>;
  requestId: string | null;
  traceId: string | null;
  outcome?: "success" | "failed";
  at?: Date;
}

export async function recordSupervisorAction(control: SqlDatabase, a: SupervisorAction): Promise<void> {
  const at = a.at ?? new Date();
  await recordOnTimeline(
    control,
    {
      occurredAt: at,
      actorId: a.actor.userId,
      actorRole: a.actor.role,
      action: a.action,
      entityType: "LabProcess",
      entityId: a.target,
      patientId: null,
      requestId: a.requestId,
      traceId: a.traceId,
      outcome: a.outcome ?? "success",
      details: { ...a.details, deadline: a.deadline?.toISOString() ?? null },
    },
    {
      endAt: a.deadline,
      kind: "supervisor",
      title: a.deadline ? `${a.title} until ${a.deadline.toISOString()}` : a.title,
      body: JSON.stringify({ action: a.action, ...a.details }),
      tags: JSON.stringify(["supervisor", `process:${a.target}`]),
      drillRunId: null,
    },
  );
}
