import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SeededRandom } from "../synth/random.ts";
import { BUCKET_COUNT, ShardMap, bucketOf, initialAssignments } from "./shard-map.ts";

describe("shard map", () => {
  it("sends the same patient id to the same bucket every time", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (id) => {
        expect(bucketOf(id)).toBe(bucketOf(id));
        expect(bucketOf(id)).toBeGreaterThanOrEqual(0);
        expect(bucketOf(id)).toBeLessThan(BUCKET_COUNT);
      }),
    );
  });

  it("pins known ids to known buckets so a code change cannot silently remap patients", () => {
    expect([bucketOf("a"), bucketOf("b"), bucketOf("patient-1")]).toEqual([274, 22, 942]);
  });

  it("deals buckets evenly onto shards", () => {
    for (const shards of [1, 2, 3, 4, 7, 16]) {
      const map = new ShardMap(initialAssignments(shards), shards);
      const sizes = Array.from({ length: shards }, (_, s) => map.bucketsOf(s).length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it("spreads 100,000 patient ids within 2 % of the mean per shard", () => {
    // Seeded ids keep the measurement repeatable; they are as random as generated patients' ids.
    const random = new SeededRandom(2026);
    const shards = 4;
    const map = new ShardMap(initialAssignments(shards), shards);
    const counts = new Array<number>(shards).fill(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) counts[map.shardOf(`pat-${random.uuid()}`)]! += 1;
    const mean = n / shards;
    const worst = Math.max(...counts.map((c) => Math.abs(c - mean) / mean));
    expect(worst).toBeLessThan(0.02);
    // Chi-square against uniform, 3 degrees of freedom: 16.27 is the 0.1 % critical value.
    const chiSquare = counts.reduce((sum, c) => sum + (c - mean) ** 2 / mean, 0);
    expect(chiSquare).toBeLessThan(16.27);
  });

  it("moves only the patients of a reassigned bucket", () => {
    const before = new ShardMap(initialAssignments(4), 4);
    const moved = initialAssignments(4).map((a) => (a.bucket === 7 ? { ...a, shard: 2, version: 2 } : a));
    const after = new ShardMap(moved, 4);
    fc.assert(
      fc.property(fc.uuid(), (id) => {
        const changed = before.shardOf(id) !== after.shardOf(id);
        expect(changed).toBe(bucketOf(id) === 7 && before.shardOf(id) !== 2);
      }),
    );
  });

  it("refuses a map that points past the lab's shard count", () => {
    const eight = initialAssignments(8);
    expect(() => new ShardMap(eight, 4)).toThrow(/points at shard [4-7], but the lab has 4 shards/);
    expect(ShardMap.shardsReferenced(eight)).toBe(8);
  });
});
