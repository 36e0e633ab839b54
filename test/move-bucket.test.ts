// Moving a bucket between shards on SQLite and PostgreSQL: everything arrives, verified, the map flips and
// the source is emptied; a copy that does not verify leaves the bucket where it was with nothing lost.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findClaim } from "../lib/data/claims.ts";
import { moveBucket } from "../lib/data/move-bucket.ts";
import { openLabDatabases } from "../lib/data/lab-databases.ts";
import { findPatient, listPatientsByFacility } from "../lib/data/patients.ts";
import { updatePatientDemographics } from "./support/patient-rows.ts";
import { type ShardTx, inPatientShard } from "../lib/data/shard-transaction.ts";
import { PATIENT_ROOTED_TABLES } from "../lib/data/tables.ts";
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
    for (const s of t.lab.shards)
      for (const p of await s.prisma.patient.findMany({ select: { bucket: true } })) counts.set(p.bucket, (counts.get(p.bucket) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
  }

  it("copies, verifies and flips a bucket, after which its patients are read from the new shard only", async () => {
    const bucket = await busyBucket();
    const from = t.lab.shardMap.assignment(bucket).shard;
    const to = (from + 1) % 4;
    const patients = await t.lab.shards[from]!.prisma.patient.findMany({ where: { bucket }, include: { claims: { include: { lines: true } } } });
    expect(patients.length).toBeGreaterThan(0);
    await t.lab.shards[from]!.prisma.outboxEvent.create({
      data: {
        eventId: "evt-moving",
        eventType: "PatientRegistered",
        eventVersion: 1,
        aggregateType: "Patient",
        aggregateId: patients[0]!.id,
        partitionKey: patients[0]!.id,
        payload: "{}",
        headers: "{}",
        occurredAt: new Date(),
      },
    });
    const totalsBefore = await shardStats(t.lab);

    const report = await moveBucket(t.lab, bucket, to, { actorId: "usr-admin" });

    expect(report).toMatchObject({ bucket, fromShard: from, toShard: to, patients: patients.length });
    expect(report.rowsByTable.outbox_events).toBe(1 + patients.length); // and each seeded patient's snapshot, not yet relayed
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
    const bucket = await busyBucket();
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

  it("fences a process with a stale shard map: its write to a moved patient is refused, then goes to the new owner", async () => {
    const stale = await openLabDatabases(t.config);
    try {
      const bucket = await busyBucket();
      const from = t.lab.shardMap.assignment(bucket).shard;
      const [patient] = await t.lab.shards[from]!.prisma.patient.findMany({ where: { bucket }, take: 1 });
      await moveBucket(t.lab, bucket, (from + 3) % 4, { actorId: "usr-admin" });
      expect(stale.shardMap.assignment(bucket).shard).toBe(from); // it has not heard of the move
      const rename = (tx: ShardTx) => updatePatientDemographics(tx, patient!.id, patient!.version, { city: "Fencepost" }, new Date());
      await expect(inPatientShard(stale, patient!.id, rename)).rejects.toMatchObject({ status: 503 });
      expect(stale.shardMap.assignment(bucket).shard).toBe((from + 3) % 4); // the refusal made it reload
      await inPatientShard(stale, patient!.id, rename);
      expect((await findPatient(t.lab, patient!.id))?.city).toBe("Fencepost");
    } finally {
      await stale.close();
    }
  });

  it("lets only one of two concurrent moves of a bucket proceed", async () => {
    const bucket = 11;
    const from = t.lab.shardMap.assignment(bucket).shard;
    let second: PromiseSettledResult<unknown> | undefined;
    // The second move starts while the first is mid-copy, so the two overlap whatever the scheduling.
    const first = await moveBucket(t.lab, bucket, (from + 1) % 4, {
      actorId: "usr-a",
      afterCopy: async () => {
        [second] = await Promise.allSettled([moveBucket(t.lab, bucket, (from + 2) % 4, { actorId: "usr-b" })]);
      },
    });
    expect(first.toShard).toBe((from + 1) % 4);
    expect(second).toMatchObject({ status: "rejected", reason: { status: 409, field: "bucket" } });
    const owner = t.lab.shardMap.assignment(bucket).shard;
    expect(owner).toBe((from + 1) % 4);
    const holders = await Promise.all(t.lab.shards.map((s) => s.prisma.patient.count({ where: { bucket } })));
    expect(holders.filter((n, shard) => n > 0 && shard !== owner)).toEqual([]);
  });

  it("hides an interrupted move's half-made copy from reads, refuses writes to it, and finishes when run again", async () => {
    const bucket = await busyBucket();
    const from = t.lab.shardMap.assignment(bucket).shard;
    const to = (from + 1) % 4;
    const facilityId = (await t.lab.shards[from]!.prisma.patient.findFirst({ where: { bucket } }))!.facilityId;
    const idsBefore = (await readAllPatients(facilityId)).sort();
    // The state a move leaves when its process dies after copying part of the bucket.
    const patients = await t.lab.shards[from]!.sql.query(`SELECT * FROM "patients" WHERE "bucket" = ?`, [bucket]);
    await t.lab.control.sql.execute(`UPDATE "shard_buckets" SET "state" = 'moving', "version" = "version" + 1 WHERE "bucket" = ?`, [bucket]);
    for (const shard of [from, to]) {
      await t.lab.shards[shard]!.sql.transaction((tx) =>
        tx.insertMany("bucket_fences", ["bucket", "reason", "createdAt"], [[bucket, "test", new Date()]], { ignoreExisting: true }),
      );
    }
    const spec = PATIENT_ROOTED_TABLES[0]!;
    await t.lab.shards[to]!.sql.transaction((tx) =>
      tx.insertMany(
        spec.table,
        spec.columns,
        patients.map((r) => spec.columns.map((c) => r[c])),
      ),
    );
    await t.lab.reloadShardMap();

    expect((await readAllPatients(facilityId)).sort()).toEqual(idsBefore.filter((id) => bucketOf(id) !== bucket));
    await expect(inPatientShard(t.lab, String(patients[0]!.id), async () => undefined)).rejects.toMatchObject({ status: 503 });

    await expect(moveBucket(t.lab, bucket, to, { actorId: "usr-admin" })).rejects.toMatchObject({ status: 409, field: "bucket" });
    const report = await moveBucket(t.lab, bucket, to, { actorId: "usr-admin", resume: true });
    expect(report.patients).toBe(patients.length);
    expect((await readAllPatients(facilityId)).sort()).toEqual(idsBefore);
    expect(await t.lab.shards[from]!.prisma.patient.count({ where: { bucket } })).toBe(0);
  });

  async function readAllPatients(facilityId: string): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listPatientsByFacility>> = await listPatientsByFacility(t.lab, facilityId, { limit: 500, cursor });
      ids.push(...page.items.map((p) => p.id));
      cursor = page.nextCursor;
    } while (cursor);
    return ids;
  }

  it("refuses a move to the shard the bucket is on, or to a shard that does not exist", async () => {
    const from = t.lab.shardMap.assignment(3).shard;
    await expect(moveBucket(t.lab, 3, from, { actorId: "usr-admin" })).rejects.toMatchObject({ status: 409, field: "toShard" });
    await expect(moveBucket(t.lab, 3, 9, { actorId: "usr-admin" })).rejects.toMatchObject({ status: 400, field: "toShard" });
    await expect(moveBucket(t.lab, 5000, 0, { actorId: "usr-admin" })).rejects.toMatchObject({ status: 400, field: "bucket" });
  });
});
