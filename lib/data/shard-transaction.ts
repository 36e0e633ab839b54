// One local transaction on the shard that owns a patient: the unit every write is made of.
import { LabError } from "../errors/index.ts";
import { lockShardForBucket } from "./bucket-fences.ts";
import type { LabDatabases, ShardHandle } from "./lab-databases.ts";
import { bucketOf } from "./shard-map.ts";
import type { SqlDatabase } from "./sql-database.ts";

/**
 * A transaction on one shard: prepared raw SQL (ADR 0006), with the typed row statements of rows.ts.
 * Prisma's interactive transactions cost about 0.6 ms of CPU per statement here, which capped writes at
 * about 130 per second.
 */
export type ShardTx = SqlDatabase;

/**
 * Runs fn in one transaction on the patient's shard. Refuses while the patient's bucket is moving (from the
 * map) and, inside the transaction, when the shard has fenced the bucket (a map older than a finished move);
 * in that case the map is reloaded so the retry goes to the new owner.
 */
export async function inPatientShard<T>(lab: LabDatabases, patientId: string, fn: (tx: ShardTx, shard: ShardHandle) => Promise<T>): Promise<T> {
  const bucket = bucketOf(patientId);
  const assignment = lab.shardMap.assignment(bucket);
  if (assignment.state !== "active") {
    throw new LabError("unavailable", `patient data is being moved to another shard (bucket ${bucket}); retry shortly`);
  }
  const shard = lab.shards[assignment.shard]!;
  try {
    return await shard.sql.transaction(async (tx) => {
      await lockShardForBucket(tx, bucket);
      return fn(tx, shard);
    });
  } catch (err) {
    if (err instanceof LabError && err.code === "unavailable") await lab.reloadShardMap().catch(() => undefined);
    throw err;
  }
}
