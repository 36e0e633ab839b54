// Each shard's health as the SRE dashboard shows it: does its database answer, how fast, and how many
// patients it holds. One shard down is one row saying so; the others still answer.
import { fencedBuckets, ownedRowsCondition } from "./bucket-fences.ts";
import type { LabDatabases } from "./lab-databases.ts";

export interface ShardHealth {
  shard: number;
  label: string;
  reachable: boolean;
  latencyMs: number;
  patients: number | null;
  error: string | null;
}

export async function shardHealth(lab: Pick<LabDatabases, "shards">): Promise<ShardHealth[]> {
  return Promise.all(
    lab.shards.map(async (s) => {
      const started = performance.now();
      try {
        // The patients the shard serves: a fenced bucket's copy belongs to another shard.
        const owned = ownedRowsCondition(await fencedBuckets(s.readSql), "bucket");
        const [row] = await s.readSql.query<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "patients" WHERE ${owned.sql}`, owned.args);
        return { shard: s.index, label: s.label, reachable: true, latencyMs: performance.now() - started, patients: Number(row?.n ?? 0), error: null };
      } catch (err) {
        return {
          shard: s.index,
          label: s.label,
          reachable: false,
          latencyMs: performance.now() - started,
          patients: null,
          error: err instanceof Error ? err.message : String(err),
        };
      }
    }),
  );
}
