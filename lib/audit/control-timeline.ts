// What the lab's operators do (fault switches, traffic, supervisor actions, drills) goes on the control
// timeline: an entry in the control database's audit chain and an annotation for the SLO charts, written in
// one transaction with whatever state change the action made, so the record and the change agree.
import { randomUUID } from "node:crypto";
import type { Annotation } from "../data/prisma-clients.ts";
import type { SqlDatabase } from "../data/sql-database.ts";
import { rowValues, tableOf } from "../data/tables.ts";
import { type AuditFacts, recordAudit } from "./audit-chain.ts";

/**
 * The actions of the lab's own controls on the timeline (drills, scenarios, fault switches, the
 * supervisor's acts, traffic changes): what an on-call player is not shown, unless they did it themselves
 * (a restart, a rollback: ADR 0023).
 */
export const CONTROL_ACTION_PREFIXES = ["drill.", "scenario.", "fault.", "supervisor.", "traffic."] as const;

export type TimelineAnnotation = Omit<Annotation, "id" | "at" | "actorId" | "traceId">;

export async function recordOnTimeline(
  control: SqlDatabase,
  audit: AuditFacts,
  annotation: TimelineAnnotation,
  change?: (tx: SqlDatabase) => Promise<void>,
): Promise<void> {
  await control.transaction(async (tx) => {
    await change?.(tx);
    await recordAudit(tx, audit);
    const row: Annotation = { id: `ann-${randomUUID()}`, at: audit.occurredAt, actorId: audit.actorId, traceId: audit.traceId, ...annotation };
    const spec = tableOf("Annotation");
    await tx.insertMany(spec.table, spec.columns, rowValues(spec, [row]));
  });
}

/** The annotations from `from` to `to`, oldest first (at most `limit`): what the narrative and the charts show. */
export async function readTimeline(control: SqlDatabase, from: Date, to: Date, limit = 2000): Promise<Annotation[]> {
  return control.query<Annotation & Record<string, unknown>>(
    `SELECT "id", "at", "endAt", "kind", "title", "body", "tags", "actorId", "drillRunId", "traceId" FROM "annotations" WHERE "at" >= ? AND "at" <= ? ORDER BY "at", "id" LIMIT ?`,
    [from, to, limit],
  );
}

/**
 * The runs a conductor recorded on the timeline (a scenario's, an exercise's): the `run` in the body of each
 * annotation of `kind` tagged `tag`, newest first, at most `limit`.
 */
export async function readRecordedRuns<T>(control: SqlDatabase, kind: string, tag: string, limit: number): Promise<T[]> {
  const rows = await control.query<{ body: string }>(`SELECT "body" FROM "annotations" WHERE "kind" = ? AND "tags" LIKE ? ORDER BY "at" DESC LIMIT ?`, [
    kind,
    `%"${tag}"%`,
    limit,
  ]);
  return rows.map((r) => (JSON.parse(r.body) as { run: T }).run);
}
