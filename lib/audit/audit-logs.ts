// The lab's hash-chained audit logs: one per shard, and the control database's own (fault switches,
// bucket moves, prunes of shard logs). Verification and retention work on any of them alike.
import type { LabDatabases } from "../data/lab-databases.ts";
import type { LabPrisma } from "../data/prisma-clients.ts";
import type { SqlDatabase } from "../data/sql-database.ts";

export interface AuditLog {
  /** The shard's index, or CONTROL_LOG for the control database's log. */
  index: number;
  label: string;
  /** Appends and prunes (raw SQL, as every write: ADR 0006). */
  sql: SqlDatabase;
  /** Verification and search read through Prisma, which gives sequences as bigint. */
  prisma: LabPrisma;
}

export const CONTROL_LOG = -1;

export function controlAuditLog(lab: Pick<LabDatabases, "control">): AuditLog {
  return { index: CONTROL_LOG, label: "control", sql: lab.control.sql, prisma: lab.control.prisma };
}

/** Every audit log of the lab: the shards' in order, then the control log. */
export function auditLogsOf(lab: Pick<LabDatabases, "control" | "shards">): AuditLog[] {
  return [...lab.shards, controlAuditLog(lab)];
}
