// The operations readings the overview and the SRE dashboard show, each read from its lab process as the
// signed-in persona. Each is settled on its own: a dead drill engine blanks its panel, not the page.
import { readLab } from "@/app/session.ts";
import type { Actor } from "@/lib/auth/roles.ts";
import { labConfig } from "@/lib/data/lab-connection.ts";
import type { DrillRun } from "@/lib/drills/drill-runs.ts";
import type { PartitionLag } from "@/lib/events/bus.ts";
import type { SloReport } from "@/lib/slo/slo-status.ts";
import type { DataJob } from "@/lib/supervisor/data-jobs.ts";
import type { LabStatus } from "@/lib/supervisor/lab-control.ts";

export type Reading<T> = { ok: true; value: T } | { ok: false; error: string };

export interface EventPipelineStatus {
  bus: string;
  outboxBacklog: { shard: number; unpublished: number }[];
  projector: { applied: number; duplicates: number; deadLettered: number; lag: PartitionLag[] };
  deadLetters: number;
}

const settle = <T,>(read: Promise<T>): Promise<Reading<T>> =>
  read.then(
    (value) => ({ ok: true as const, value }),
    (err: unknown) => ({ ok: false as const, error: err instanceof Error ? err.message : String(err) }),
  );

const local = (port: number, path: string) => `http://127.0.0.1:${port}${path}`;

export const readDataJobs = (actor: Actor) => settle(readLab<{ jobs: DataJob[] }>(local(labConfig().supervisorPort, "/_lab/jobs"), actor, "supervisor"));
export const readProcesses = (actor: Actor) => settle(readLab<LabStatus>(local(labConfig().supervisorPort, "/_lab/processes"), actor, "supervisor"));
export const readDrillRuns = (actor: Actor) => settle(readLab<{ runs: DrillRun[] }>(local(labConfig().drills.port, "/_lab/drills/runs"), actor, "drill engine").then((r) => r.runs));
export const readSloReport = (actor: Actor) => settle(readLab<SloReport>(local(labConfig().gateway.port, "/_lab/slos"), actor, "gateway"));
export const readEventPipeline = (actor: Actor) => settle(readLab<EventPipelineStatus>(local(labConfig().projectorPort, "/_lab/events/status"), actor, "projector"));

/** A read of the projector's dashboards API (/_lab/dashboards/...) as the actor. */
export const readDashboard = <T,>(actor: Actor, path: string) => settle(readLab<T>(local(labConfig().projectorPort, `/_lab/dashboards${path}`), actor, "projector"));
/** A read through the gateway as the actor (the services decide what the role sees). */
export const readThroughGateway = <T,>(actor: Actor, path: string) => settle(readLab<T>(local(labConfig().gateway.port, path), actor, "gateway"));
