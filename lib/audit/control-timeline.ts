// What the lab's operators do (fault switches, traffic, supervisor actions, drills) goes on the control
// timeline: an entry in the control database's audit chain and an annotation for the SLO charts, written in
// one transaction with whatever state change the action made, so the record and the change agree.
import { randomUUID } from "node:crypto";
import type { Annotation } from "../data/prisma-clients.ts";
import type { SqlDatabase } from "../data/sql-database.ts";
import { rowValues, tableOf } from "../data/tables.ts";
import { type AuditFacts, recordAudit } from "./audit-chain.ts";

export type TimelineAnnotation = Omit<Annotation, "id" | "at" | "actorId" | "traceId">;

export async function recordOnTimeline(control: SqlDatabase, audit: AuditFacts, annotation: TimelineAnnotation, change?: (tx: SqlDatabase) => Promise<void>): Promise<void> {
  await control.transaction(async (tx) => {
    await change?.(tx);
    await recordAudit(tx, audit);
    const row: Annotation = { id: `ann-${randomUUID()}`, at: audit.occurredAt, actorId: audit.actorId, traceId: audit.traceId, ...annotation };
    const spec = tableOf("Annotation");
    await tx.insertMany(spec.table, spec.columns, rowValues(spec, [row]));
  });
}
