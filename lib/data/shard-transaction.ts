// One local transaction on the shard that owns a patient: the unit every write is made of.
import { LabError } from "../errors/index.ts";
import type { Prisma } from "./generated/sqlite/client.ts";
import type { LabDatabases, ShardHandle } from "./lab-databases.ts";
import { bucketOf } from "./shard-map.ts";

export type ShardTx = Prisma.TransactionClient;

/** Runs fn in one transaction on the patient's shard; refuses while the patient's bucket is moving. */
export async function inPatientShard<T>(lab: LabDatabases, patientId: string, fn: (tx: ShardTx, shard: ShardHandle) => Promise<T>): Promise<T> {
  const assignment = lab.shardMap.assignment(bucketOf(patientId));
  if (assignment.state !== "active") {
    throw new LabError("unavailable", `patient data is being moved to another shard (bucket ${assignment.bucket}); retry shortly`);
  }
  const shard = lab.shards[assignment.shard]!;
  return shard.prisma.$transaction((tx) => fn(tx, shard));
}
