// Seeding is history (ADR 0018): the projected read models equal the shards' own counts after seeding,
// after traffic that works seeded records, and after a replay from the beginning, with no dead letter; and
// a lab seeded the old way (no history in the stream) gets it from the backfill, resumably, once.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { EVENT_HISTORY_META } from "../lib/data/lab-databases.ts";
import { openSqlite } from "../lib/data/sql-database.ts";
import { DOMAIN_TOPIC, type EventBus } from "../lib/events/bus.ts";
import { openEmbeddedLog } from "../lib/events/embedded-log.ts";
import { backfillEventHistory, backfillPending } from "../lib/events/history-backfill.ts";
import { PATIENT_SNAPSHOT } from "../lib/events/patient-snapshot.ts";
import { type Projector, PROJECTOR_GROUP, countDeadLetters, startProjector } from "../lib/events/projector.ts";
import { prepareReadModels, readModelChecksums } from "../lib/events/projections.ts";
import { relayOnce } from "../lib/events/relay.ts";
import { replayReadModels } from "../lib/events/replay.ts";
import { generateLabData } from "../lib/synth/generate-lab-data.ts";
import { workTheLab } from "./support/lab-traffic.ts";
import { readModelCounts, shardCounts } from "./support/shard-counts.ts";
import { BACKENDS, type TestLab, createTestLab } from "./support/test-labs.ts";

describe.each(BACKENDS)("the event history of a seeded lab (%s)", (backend) => {
  const open: { close(): Promise<void> }[] = [];
  let dir: string;
  afterEach(async () => {
    for (const o of open.splice(0).reverse()) await o.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function setUp(): Promise<{ t: TestLab; bus: EventBus; models: ReturnType<typeof openSqlite> }> {
    dir = mkdtempSync(join(tmpdir(), "pimlab-history-"));
    const t = await createTestLab(backend);
    open.push({ close: () => t.dispose() });
    const bus = await openEmbeddedLog({ file: join(dir, "events.db"), partitions: 4, pollMs: 5 });
    open.push(bus);
    const models = openSqlite(join(dir, "read-models.db"), "read models");
    await prepareReadModels(models);
    open.push(models);
    return { t, bus, models };
  }
  /** Relays every shard's outbox until empty, then waits for the projector to have applied all of it. */
  async function pipeline(t: TestLab, bus: EventBus, projector: Projector) {
    for (const shard of t.lab.shards) while ((await relayOnce(shard, bus, 1000)).published > 0);
    const end = Date.now() + 30_000;
    while ((await bus.lag(PROJECTOR_GROUP, DOMAIN_TOPIC)).some((p) => p.lag > 0) || projector.stats.held > 0) {
      if (Date.now() > end) throw new Error("the projector did not catch up");
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  async function replayEquals(bus: EventBus, models: ReturnType<typeof openSqlite>) {
    const scratch = openSqlite(join(dir, `replay-${Date.now()}.db`), "replay");
    open.push(scratch);
    await prepareReadModels(scratch);
    const report = await replayReadModels(bus, scratch, { from: { earliest: true } });
    expect(report.stats.deadLettered).toBe(0);
    expect(await readModelChecksums(scratch)).toEqual(await readModelChecksums(models));
    expect(await readModelCounts(scratch)).toEqual(await readModelCounts(models));
  }

  it("holds the read models equal to the shards' counts after seeding, after traffic on seeded records, and after a replay, with no dead letter", async () => {
    const { t, bus, models } = await setUp();
    await generateLabData(t.lab, { patients: 60, seed: 11, facilities: 3 });
    const projector = await startProjector(bus, models);
    open.push({ close: () => projector.stop() });

    await pipeline(t, bus, projector);
    expect(await readModelCounts(models)).toEqual(await shardCounts(t.lab.shards));
    const seeded = await readModelCounts(models);
    expect(seeded.timeline.patients).toBe(60);
    expect(seeded.pipeline.length).toBeGreaterThan(3);

    const traffic = await workTheLab(t.lab, 12);
    expect(traffic.commands).toBeGreaterThan(150);
    await pipeline(t, bus, projector);
    expect(projector.stats.deadLettered).toBe(0);
    expect(await countDeadLetters(models)).toBe(0);
    expect(await readModelCounts(models)).toEqual(await shardCounts(t.lab.shards));

    await replayEquals(bus, models);
  });

  it("backfills a lab seeded without history once, resumably, after which it is as if seeded with it", async () => {
    const { t, bus, models } = await setUp();
    await generateLabData(t.lab, { patients: 40, seed: 12, facilities: 2 });
    // The lab as the old seeding left it: no snapshot in any outbox, no history mark on any shard.
    for (const shard of t.lab.shards) {
      await shard.sql.transaction(async (tx) => {
        await tx.execute(`DELETE FROM "outbox_events" WHERE "eventType" = ?`, [PATIENT_SNAPSHOT]);
        await tx.execute(`DELETE FROM "lab_meta" WHERE "key" = ?`, [EVENT_HISTORY_META]);
      });
    }
    expect(await backfillPending(t.lab)).toBe(true);
    const oldProjector = await startProjector(bus, models, { gapWaitMs: 0 });
    await workTheLab(t.lab, 6);
    await pipeline(t, bus, oldProjector);
    await oldProjector.stop();
    expect(await countDeadLetters(models)).toBeGreaterThan(0); // orphans: events about seeded claims
    expect(await readModelCounts(models)).not.toEqual(await shardCounts(t.lab.shards));

    // Interrupted after its first batch, then run again: it finishes what is left.
    const interrupted = backfillEventHistory(t.lab, bus, models, {
      batchSize: 5,
      onProgress: (p) => {
        if (p.done > 0) throw new Error("interrupted");
      },
    });
    await expect(interrupted).rejects.toThrow("interrupted");
    const report = await backfillEventHistory(t.lab, bus, models, { batchSize: 5 });
    expect(report.written).toBe(report.total);
    expect(report.deletedLogMessages).toBeGreaterThan(0);
    expect(await backfillPending(t.lab)).toBe(false);
    const snapshots = (
      await Promise.all(t.lab.shards.map((s) => s.sql.query(`SELECT COUNT(*) AS "n" FROM "outbox_events" WHERE "eventType" = ?`, [PATIENT_SNAPSHOT])))
    ).reduce((a, [r]) => a + Number(r!.n), 0);
    expect(snapshots).toBe((await shardCounts(t.lab.shards)).timeline.patients);

    const projector = await startProjector(bus, models);
    open.push({ close: () => projector.stop() });
    await pipeline(t, bus, projector);
    expect(await countDeadLetters(models)).toBe(0);
    expect(await readModelCounts(models)).toEqual(await shardCounts(t.lab.shards));
    await workTheLab(t.lab, 4);
    await pipeline(t, bus, projector);
    expect(await countDeadLetters(models)).toBe(0);
    expect(await readModelCounts(models)).toEqual(await shardCounts(t.lab.shards));
    await replayEquals(bus, models);

    expect((await backfillEventHistory(t.lab, bus, models)).written).toBe(0); // once: a second run has nothing to do
  });
});
