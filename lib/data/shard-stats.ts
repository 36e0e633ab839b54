// Row counts per shard and per table, for the portal's home page and the admin's shard view.
import type { LabDatabases } from "./lab-databases.ts";
import { CONTROL_TABLES, PATIENT_ROOTED_TABLES, SHARD_LOG_TABLES } from "./tables.ts";

export interface DatabaseStats {
  label: string;
  shard: number | null;
  buckets: number | null;
  rows: Record<string, number>;
  totalRows: number;
}

async function countRows(db: LabDatabases["control"]["sql"], tables: readonly { table: string }[]): Promise<Record<string, number>> {
  const union = tables.map((t) => `SELECT '${t.table}' AS "t", COUNT(*) AS "n" FROM "${t.table}"`).join(" UNION ALL ");
  const rows = await db.query<{ t: string; n: number }>(union);
  return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
}

export async function shardStats(lab: LabDatabases): Promise<{ control: DatabaseStats; shards: DatabaseStats[] }> {
  const shardTables = [...PATIENT_ROOTED_TABLES, ...SHARD_LOG_TABLES];
  const [controlRows, ...shardRows] = await Promise.all([countRows(lab.control.sql, CONTROL_TABLES), ...lab.shards.map((s) => countRows(s.sql, shardTables))]);
  const total = (rows: Record<string, number>) => Object.values(rows).reduce((a, b) => a + b, 0);
  return {
    control: { label: "control", shard: null, buckets: null, rows: controlRows!, totalRows: total(controlRows!) },
    shards: lab.shards.map((s, i) => ({
      label: s.label,
      shard: s.index,
      buckets: lab.shardMap.bucketsOf(s.index).length,
      rows: shardRows[i]!,
      totalRows: total(shardRows[i]!),
    })),
  };
}
