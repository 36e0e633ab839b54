// Moving a bucket between shards on SQLite and PostgreSQL: everything arrives, verified, the map flips and
// the source is emptied; a copy that does not verify leaves the bucket where it was with nothing lost.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findClaim } from "../lib/data/claims.ts";
import { moveBucket } from "../lib/data/move-bucket.ts";
import { findPatient } from "../lib/data/patients.ts";
import { bucketOf } from "../lib/data/shard-map.ts";
import { shardStats } from "../lib/data/shard-stats.ts";
import { generateLabData } from "../lib/synth/generate-lab-data.ts";
import { BACKENDS, type TestLab, createTestLab } from "./support/test-labs.ts";

describe.each(BACKENDS)("bucket move on %s", (backend) => {
  let t: TestLab;
  beforeAll(async () => {
    t = await createTestLab(backend);
    await generateLabData(t.lab, { patients: 3000, seed: 5, facilities: 3 });
  });
  afterAll(async () => t?.dispose());

  /** The busiest bucket, so the move carries real rows. */
  async function busyBucket() {
    const counts = new Map<number, number>();
    for (const s of t.lab.shards) for (const p of await s.prisma.patient.findMany({ select: { bucket: true } })) counts.set(p.bucket, (counts.get(p.bucket) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
  }

  it("copies, verifies and flips a bucket, after which its patients are read from the new shard only", async () => {
    const bucket = await busyBucket();
    const from = t.lab.shardMap.assignment(bucket).shard;
    const to = (from + 1) % 4;
    const patients = await t.lab.shards[from]!.prisma.patient.findMany({ where: { bucket }, include: { claims: { include: { lines: true } } } });
    expect(patients.length).toBeGreaterThan(0);
    await t.lab.shards[from]!.prisma.outboxEvent.create({
      data: { eventId: "evt-moving", eventType: "PatientRegistered", eventVersion: 1, aggregateType: "Patient", aggregateId: patients[0]!.id, partitionKey: patients[0]!.id, payload: "{}", headers: "{}", occurredAt: new Date() },
    });
    const totalsBefore = await shardStats(t.lab);

    const report = await moveBucket(t.lab, bucket, to, { actorId: "usr-admin" });

    expect(report).toMatchObject({ bucket, fromShard: from, toShard: to, patients: patients.length });
    expect(report.rowsByTable.outbox_events).toBe(1);
    expect(t.lab.shardMap.assignment(bucket)).toMatchObject({ shard: to, state: "active" });
    expect(await t.lab.shards[from]!.prisma.patient.count({ where: { bucket } })).toBe(0);
    expect(await t.lab.shards[from]!.prisma.outboxEvent.count({ where: { eventId: "evt-moving" } })).toBe(0);
    expect(await t.lab.shards[to]!.prisma.outboxEvent.count({ where: { eventId: "evt-moving" } })).toBe(1);
    for (const p of patients) {
      expect(bucketOf(p.id)).toBe(bucket);
      const { claims, ...row } = p;
      expect(await findPatient(t.lab, p.id)).toEqual(row);
      for (const c of claims) expect(await findClaim(t.lab, p.id, c.id)).toEqual({ ...c, lines: [...c.lines].sort((a, b) => a.lineNumber - b.lineNumber) });
    }
    const totalsAfter = await shardStats(t.lab);
    const sum = (s: typeof totalsBefore, table: string) => s.shards.reduce((n, x) => n + (x.rows[table] ?? 0), 0);
    for (const table of ["patients", "encounters", "diagnoses", "procedures", "medications", "claims", "claim_lines"]) {
      expect(sum(totalsAfter, table)).toBe(sum(totalsBefore, table));
    }
    const note = await t.lab.control.prisma.annotation.findFirst({ where: { kind: "shard.bucket-moved" } });
    expect(note?.title).toBe(`Bucket ${bucket} moved from shard ${from} to shard ${to}`);
  });

  it("aborts a move whose copy does not verify, keeping the bucket and its rows on the source", async () => {
    const bucket = (await busyBucket()) ;
    const from = t.lab.shardMap.assignment(bucket).shard;
    const to = (from + 2) % 4;
    const before = await t.lab.shards[from]!.prisma.encounter.count({ where: { patient: { bucket } } });
    await expect(
      moveBucket(t.lab, bucket, to, {
        actorId: "usr-admin",
        afterCopy: async (target, ids) => {
          await target.execute(`UPDATE "encounters" SET "note" = 'tampered' WHERE "patientId" = ?`, [ids[0]]);
        },
      }),
    ).rejects.toThrow(/copy of encounters on shard \d does not match/);
    expect(t.lab.shardMap.assignment(bucket)).toMatchObject({ shard: from, state: "active" });
    expect(await t.lab.shards[from]!.prisma.encounter.count({ where: { patient: { bucket } } })).toBe(before);
    expect(await t.lab.shards[to]!.prisma.patient.count({ where: { bucket } })).toBe(0);
  });

  it("refuses a move to the shard the bucket is on, or to a shard that does not exist", async () => {
    const from = t.lab.shardMap.assignment(3).shard;
    await expect(moveBucket(t.lab, 3, from, { actorId: "usr-admin" })).rejects.toMatchObject({ status: 409, field: "toShard" });
    await expect(moveBucket(t.lab, 3, 9, { actorId: "usr-admin" })).rejects.toMatchObject({ status: 400, field: "toShard" });
    await expect(moveBucket(t.lab, 5000, 0, { actorId: "usr-admin" })).rejects.toMatchObject({ status: 400, field: "bucket" });
  });
});
