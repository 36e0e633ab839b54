import { describe, expect, it } from "vitest";
import { ShardMap, bucketOf, initialAssignments } from "../data/shard-map.ts";
import { locatePatient, shardMapView } from "./shard-map-view.ts";

describe("the admin's shard map view", () => {
  it("counts each shard's buckets and lists the buckets moved in and moving", () => {
    const assignments = initialAssignments(4);
    assignments[5] = { bucket: 5, shard: 0, state: "active", version: 2 }; // moved from shard 1 to 0
    assignments[6] = { bucket: 6, shard: 2, state: "moving", version: 1 };
    const view = shardMapView(new ShardMap(assignments, 4));
    expect(view.map((s) => s.buckets)).toEqual([257, 255, 256, 256]);
    expect(view[0]).toMatchObject({ movedIn: [5], moving: [] });
    expect(view[2]).toMatchObject({ movedIn: [], moving: [6] });
  });

  it("locates a patient by the bucket its id hashes to", () => {
    const map = new ShardMap(initialAssignments(4), 4);
    const bucket = bucketOf("pat-42");
    expect(locatePatient(map, "pat-42")).toEqual({ bucket, shard: bucket % 4, state: "active" });
  });
});
