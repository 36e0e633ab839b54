// Each shard's health as the SRE dashboard shows it: does its database answer, how fast, does it take
// writes, and how many patients it holds. One shard down is one row saying so; the others still answer.
import { fencedBuckets, ownedRowsCondition } from "./bucket-fences.ts";
import type { LabDatabases } from "./lab-databases.ts";
import type { SqlDatabase } from "./sql-database.ts";

/** Long enough for the writers of a healthy shard to take turns, short enough for a page to wait. */
const WRITE_PROBE_WAIT_MS = 500;

export interface ShardHealth {
  shard: number;
  label: string;
  reachable: boolean;
  latencyMs: number;
  patients: number | null;
  error: string | null;
  /** Whether a write could take the shard's write lock now; null when the shard did not answer at all. */
  takesWrites: boolean | null;
  writeError: string | null;
}

/** Takes the shard's write lock and lets it go at once, writing nothing (PostgreSQL: the lock every INSERT takes). */
async function probeWrites(db: SqlDatabase): Promise<string | null> {
  try {
    await db.transaction(
      async (tx) => {
        if (tx.dialect === "postgresql") await tx.execute(`LOCK TABLE "patients" IN ROW EXCLUSIVE MODE`);
      },
      { lockWaitMs: WRITE_PROBE_WAIT_MS },
    );
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

export async function shardHealth(lab: Pick<LabDatabases, "shards">): Promise<ShardHealth[]> {
  return Promise.all(
    lab.shards.map(async (s) => {
      const started = performance.now();
      try {
        // The patients the shard serves: a fenced bucket's copy belongs to another shard.
        const owned = ownedRowsCondition(await fencedBuckets(s.readSql), "bucket");
        const [row] = await s.readSql.query<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "patients" WHERE ${owned.sql}`, owned.args);
        const latencyMs = performance.now() - started;
        const writeError = await probeWrites(s.sql);
        return {
          shard: s.index,
          label: s.label,
          reachable: true,
          latencyMs,
          patients: Number(row?.n ?? 0),
          error: null,
          takesWrites: writeError === null,
          writeError,
        };
      } catch (err) {
        return {
          shard: s.index,
          label: s.label,
          reachable: false,
          latencyMs: performance.now() - started,
          patients: null,
          error: err instanceof Error ? err.message : String(err),
          takesWrites: null,
          writeError: null,
        };
      }
    }),
  );
}
