// The admin's view of the shard map: per shard, how many of the 1,024 buckets it owns, which of them
// moved there since the lab began (version above 1) and which are moving now; and where one patient lives.
import { BUCKET_COUNT, type ShardMap, bucketOf } from "../data/shard-map.ts";

export interface ShardBuckets {
  shard: number;
  buckets: number;
  movedIn: number[];
  moving: number[];
}

export function shardMapView(map: ShardMap): ShardBuckets[] {
  const shards: ShardBuckets[] = Array.from({ length: map.shardCount }, (_, shard) => ({ shard, buckets: 0, movedIn: [], moving: [] }));
  for (let bucket = 0; bucket < BUCKET_COUNT; bucket++) {
    const a = map.assignment(bucket);
    const s = shards[a.shard]!;
    s.buckets++;
    if (a.version > 1) s.movedIn.push(bucket);
    if (a.state === "moving") s.moving.push(bucket);
  }
  return shards;
}

/** Where a patient id routes: its bucket and the shard that owns the bucket now. */
export function locatePatient(map: ShardMap, patientId: string): { bucket: number; shard: number; state: string } {
  const bucket = bucketOf(patientId);
  const a = map.assignment(bucket);
  return { bucket, shard: a.shard, state: a.state };
}
