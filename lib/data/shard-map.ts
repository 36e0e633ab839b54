// Patient id -> virtual bucket -> shard. The bucket count is fixed forever (changing it would move every
// patient); the bucket -> shard assignment is data in the control database, so one bucket can move.
import { hash } from "node:crypto";

export const BUCKET_COUNT = 1024;

export type BucketState = "active" | "moving";

export interface BucketAssignment {
  bucket: number;
  shard: number;
  state: BucketState;
  version: number;
}

/** The bucket of a patient id: the first 32 bits of its SHA-256, modulo the bucket count. */
export function bucketOf(patientId: string): number {
  // The one-shot hash: the gateway and the services ask this of every request, and a Hash object cost twice as much.
  return hash("sha256", patientId, "buffer").readUInt32BE(0) % BUCKET_COUNT;
}

/** The assignment a new lab starts with: buckets dealt round-robin, so every shard gets the same number. */
export function initialAssignments(shardCount: number): BucketAssignment[] {
  if (!Number.isInteger(shardCount) || shardCount < 1 || shardCount > BUCKET_COUNT) {
    throw new RangeError(`shard count must be an integer from 1 to ${BUCKET_COUNT}, got ${shardCount}`);
  }
  return Array.from({ length: BUCKET_COUNT }, (_, bucket) => ({
    bucket,
    shard: bucket % shardCount,
    state: "active" as const,
    version: 1,
  }));
}

export class ShardMap {
  private readonly byBucket: BucketAssignment[];

  constructor(
    assignments: readonly BucketAssignment[],
    readonly shardCount: number,
  ) {
    if (assignments.length !== BUCKET_COUNT) {
      throw new Error(`shard map has ${assignments.length} buckets, expected ${BUCKET_COUNT}`);
    }
    this.byBucket = new Array<BucketAssignment>(BUCKET_COUNT);
    for (const a of assignments) {
      if (a.shard < 0 || a.shard >= shardCount) {
        throw new Error(`bucket ${a.bucket} points at shard ${a.shard}, but the lab has ${shardCount} shards`);
      }
      this.byBucket[a.bucket] = a;
    }
  }

  assignment(bucket: number): BucketAssignment {
    const a = this.byBucket[bucket];
    if (!a) throw new RangeError(`no bucket ${bucket}`);
    return a;
  }

  shardOf(patientId: string): number {
    return this.assignment(bucketOf(patientId)).shard;
  }

  bucketsOf(shard: number): number[] {
    return this.byBucket.filter((a) => a.shard === shard).map((a) => a.bucket);
  }

  /** The highest shard index any bucket points at, plus one: what the map needs the lab to have. */
  static shardsReferenced(assignments: readonly BucketAssignment[]): number {
    return assignments.reduce((max, a) => Math.max(max, a.shard + 1), 0);
  }
}
