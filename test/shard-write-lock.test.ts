// A shard whose write lock another session holds (the shard-outage drill's real outage), on SQLite and
// PostgreSQL: its patients' writes fail with a 503 naming the shard after the lock wait, without freezing the
// process meanwhile; its reads and the other shards' writes go on; writes come back once the session ends.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labTopology } from "../lib/data/lab-topology.ts";
import { inPatientShard } from "../lib/data/shard-transaction.ts";
import { holdWriteLock } from "../lib/data/shard-write-lock.ts";
import { WRITE_LOCK_WAIT_MS } from "../lib/data/sql-database.ts";
import { LabError } from "../lib/errors/index.ts";
import { generateLabData } from "../lib/synth/generate-lab-data.ts";
import { BACKENDS, type TestLab, createTestLab } from "./support/test-labs.ts";

describe.each(BACKENDS)("a shard's write lock held by another session on %s", (backend) => {
  let t: TestLab;
  const onShard = new Map<number, string>();

  beforeAll(async () => {
    t = await createTestLab(backend, { shardCount: 2 });
    await generateLabData(t.lab, { patients: 20, seed: 11, facilities: 1 });
    for (const shard of t.lab.shards) {
      const [row] = await shard.readSql.query<{ id: string }>(`SELECT "id" FROM "patients" ORDER BY "id" LIMIT 1`);
      onShard.set(shard.index, row!.id);
    }
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const touch = (patientId: string) =>
    inPatientShard(t.lab, patientId, (tx) => tx.execute(`UPDATE "patients" SET "updatedAt" = ? WHERE "id" = ?`, [new Date(), patientId]));

  it("fails the shard's writes with a 503 naming it after the lock wait, keeps the event loop free, and leaves reads and other shards alone", async () => {
    const held = await holdWriteLock(labTopology(t.lab.config).shards[1]!);
    try {
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 10);
      const started = performance.now();
      const locked = touch(onShard.get(1)!).then(
        () => null,
        (err: unknown) => err,
      );
      // Meanwhile: the other shard writes, and the locked one reads.
      expect(await touch(onShard.get(0)!)).toBe(1);
      const [read] = await t.lab.shards[1]!.readSql.query<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "patients"`);
      expect(Number(read!.n)).toBeGreaterThan(0);
      const err = await locked;
      const waited = performance.now() - started;
      clearInterval(ticker);
      expect(err).toBeInstanceOf(LabError);
      expect((err as LabError).code).toBe("unavailable");
      expect((err as LabError).message).toMatch(/shard-1: the database is locked by another session/);
      expect(waited).toBeGreaterThanOrEqual(WRITE_LOCK_WAIT_MS - 100);
      expect(waited).toBeLessThan(WRITE_LOCK_WAIT_MS + 3000);
      // A 10 ms timer kept firing through the wait: the process answered its other requests.
      expect(ticks).toBeGreaterThan(WRITE_LOCK_WAIT_MS / 10 / 4);
    } finally {
      await held.release();
    }
    expect(await touch(onShard.get(1)!)).toBe(1);
  });

  it("refuses a second session the lock while the first holds it, with the same 503", async () => {
    const target = labTopology(t.lab.config).shards[0]!;
    const first = await holdWriteLock(target);
    try {
      await expect(holdWriteLock(target)).rejects.toThrow(/shard-0: the database is locked by another session/);
    } finally {
      await first.release();
    }
    const again = await holdWriteLock(target);
    await again.release();
  });
});
