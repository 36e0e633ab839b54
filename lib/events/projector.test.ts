import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { orphanAdjudication } from "../../test/support/event-stories.ts";
import { type SqlDatabase, openSqlite } from "../data/sql-database.ts";
import { DEAD_LETTER_TOPIC, DOMAIN_TOPIC } from "./bus.ts";
import { type EmbeddedLog, openEmbeddedLog } from "./embedded-log.ts";
import type { EventEnvelope } from "./envelope.ts";
import { listDeadLetters, redriveDeadLetter, startProjector } from "./projector.ts";
import { migrateReadModels, readModelChecksums } from "./projections.ts";

const at = "2026-11-24T09:00:00.000Z";
function event(type: string, patientId: string, payload: Record<string, unknown>): EventEnvelope {
  return {
    eventId: randomUUID(),
    type,
    version: 1,
    occurredAt: at,
    shard: 0,
    outboxPosition: 1,
    aggregateType: type,
    aggregateId: patientId,
    partitionKey: patientId,
    headers: { requestId: "req-1", traceparent: null, actorId: "usr-1", shard: 0 },
    payload,
  };
}
/** One patient's story: registered, seen, diagnosed, billed, paid. */
function story(n: number): EventEnvelope[] {
  const [p, enc, clm] = [`pat-${n}`, `enc-${n}`, `clm-${n}`];
  const claim = { claimId: clm, patientId: p, facilityId: "fac-0001", totalCents: 10_000, allowedCents: 8_000, paidCents: null, denialReason: null };
  return [
    event("PatientRegistered", p, { patientId: p, facilityId: "fac-0001", sex: "female", birthYear: 1980, registeredAt: at }),
    event("EncounterOpened", p, { encounterId: enc, patientId: p, facilityId: "fac-0001", providerId: "prv-0001-01", kind: "outpatient", startedAt: at }),
    event("DiagnosisRecorded", p, { diagnosisId: `dx-${n}`, encounterId: enc, patientId: p, code: "J06.9", recordedAt: at }),
    event("EncounterClosed", p, { encounterId: enc, patientId: p, facilityId: "fac-0001", endedAt: at, durationMinutes: 20 }),
    event("ClaimCreated", p, { claimId: clm, patientId: p, encounterId: enc, facilityId: "fac-0001", payer: "medicare", totalCents: 10_000 }),
    event("ClaimSubmitted", p, { ...claim, status: "submitted", allowedCents: null }),
    event("ClaimAdjudicated", p, { ...claim, status: "adjudicated" }),
    event("ClaimPaid", p, { ...claim, status: "paid", paidCents: 8_000 }),
  ];
}
const publish = (log: EmbeddedLog, events: EventEnvelope[]) =>
  log.publish(
    DOMAIN_TOPIC,
    events.map((e) => ({ key: e.partitionKey, value: JSON.stringify(e) })),
  );

describe("projector", () => {
  let dir: string;
  let log: EmbeddedLog;
  let models: SqlDatabase;
  const open: SqlDatabase[] = [];
  const freshModels = async (name: string) => {
    const db = openSqlite(join(dir, `${name}.db`), name);
    await migrateReadModels(db);
    open.push(db);
    return db;
  };
  const drained = async (group = "projector") => {
    const end = Date.now() + 10_000;
    while ((await log.lag(group, DOMAIN_TOPIC)).some((p) => p.lag > 0)) {
      if (Date.now() > end) throw new Error("projector did not catch up");
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "pimlab-projector-"));
    log = await openEmbeddedLog({ file: join(dir, "events.db"), partitions: 4, pollMs: 5 });
    models = await freshModels("live");
  });
  afterEach(async () => {
    await log.close();
    for (const db of open.splice(0)) await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("builds census, claims pipeline, daily analytics and timelines, and a redelivered event changes nothing", async () => {
    const events = [1, 2, 3].flatMap(story);
    await publish(log, events);
    const projector = await startProjector(log, models);
    await drained();
    const once = await readModelChecksums(models);
    await publish(log, events.slice(0, 10)); // the relay published these twice (at-least-once)
    await drained();
    await projector.stop();
    expect(projector.stats).toEqual({ applied: 24, duplicates: 10, deadLettered: 0, held: 0 });
    expect(await readModelChecksums(models)).toEqual(once);
    expect(await models.query(`SELECT "patients", "open_encounters", "encounters_total" FROM "facility_census"`)).toEqual([
      { patients: 3, open_encounters: 0, encounters_total: 3 },
    ]);
    expect(await models.query(`SELECT "status", "claims", "total_cents" FROM "claims_pipeline" WHERE "claims" <> 0`)).toEqual([
      { status: "paid", claims: 3, total_cents: 30_000 },
    ]);
    expect(
      await models.query(`SELECT "metric", "value" FROM "daily_analytics" WHERE "metric" IN ('claims_paid_cents', 'diagnoses_recorded') ORDER BY "metric"`),
    ).toEqual([
      { metric: "claims_paid_cents", value: 24_000 },
      { metric: "diagnoses_recorded", value: 3 },
    ]);
    // Same instant for every event here, so the timeline's insertion order shows the projection order.
    expect(
      (await models.query(`SELECT "type" FROM "patient_timeline" WHERE "patient_id" = 'pat-2' ORDER BY "occurred_at", "rowid"`)).map((r) => r.type),
    ).toEqual(story(2).map((e) => e.type));
  });

  const settled = async (projector: { stats: { held: number } }, group = "projector") => {
    await drained(group);
    const end = Date.now() + 10_000;
    while (projector.stats.held > 0) {
      if (Date.now() > end) throw new Error("the waiting room did not empty");
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  it("parks an unreadable message at once, and an ordering gap after its bound with a reason to act on, while other patients' events flow", async () => {
    const [registered, , , , created, submitted] = story(7);
    // ClaimSubmitted arrives without its ClaimCreated (lost upstream), then an unreadable message, then other patients.
    await publish(log, [registered!, submitted!]);
    await log.publish(DOMAIN_TOPIC, [{ key: "pat-x", value: "{not json" }]);
    await publish(log, [1, 2].flatMap(story));
    const failures: string[] = [];
    const projector = await startProjector(log, models, {
      gapWaitMs: 300,
      drainEveryMs: 20,
      onFailure: (f) => failures.push(`${f.kind}${f.deadLettered ? " parked" : ""}`),
    });
    await drained();
    expect(projector.stats.applied).toBe(17); // the healthy ones did not wait for the gap
    expect(projector.stats.held).toBe(1);
    await settled(projector);
    const letters = await listDeadLetters(models);
    expect(letters.map((l) => [l.type, l.kind])).toEqual(
      expect.arrayContaining([
        ["ClaimSubmitted", "gap"],
        ["(unreadable)", "poison"],
      ]),
    );
    expect(letters.find((l) => l.type === "ClaimSubmitted")!.error).toMatch(
      /^ordering gap: claim clm-7 changed state before its ClaimCreated was projected; waited 0\.\d s for it\. Redrive it once/,
    );
    expect(letters.find((l) => l.kind === "poison")).toMatchObject({ attempts: 1, error: expect.stringMatching(/^poison: /) });
    expect(failures).toEqual(expect.arrayContaining(["gap", "gap parked", "poison parked"]));
    await log.seek("dlq-watch", DEAD_LETTER_TOPIC, { earliest: true });
    expect((await log.lag("dlq-watch", DEAD_LETTER_TOPIC)).reduce((sum, p) => sum + p.lag, 0)).toBe(2); // also on the dead-letter topic

    await publish(log, [created!]);
    await settled(projector);
    await projector.stop();
    const redriven = await redriveDeadLetter(models, submitted!.eventId);
    expect(redriven.status).toBe("redriven");
    expect(await models.query(`SELECT "status", "claims" FROM "claims_pipeline" WHERE "claims" <> 0 AND "facility_id" = 'fac-0001' ORDER BY "status"`)).toEqual(
      [
        { status: "paid", claims: 2 },
        { status: "submitted", claims: 1 },
      ],
    );
    await expect(redriveDeadLetter(models, submitted!.eventId)).rejects.toMatchObject({ status: 409 });
  });

  it("applies every healthy event of a batch once when several of its events fail, and hands each failing one on once", async () => {
    // Five orphans of one patient, so in one batch: the first redoes the batch without savepoints, from the
    // third on each event gets one.
    const orphans = [1, 2, 3, 4, 5].map((n) => event("ClaimAdjudicated", "pat-1", orphanAdjudication(`clm-lost-${n}`, "pat-1")));
    const healthy = [1, 2, 3, 4, 5].map(story);
    await publish(
      log,
      healthy.flatMap((s, i) => [...s.slice(0, 4), orphans[i]!, ...s.slice(4)]),
    );
    const failures: string[] = [];
    const projector = await startProjector(log, models, { gapWaitMs: 60_000, drainEveryMs: 20, maxBatch: 500, onFailure: (f) => failures.push(f.kind) });
    await drained();
    await projector.stop();
    expect(projector.stats).toMatchObject({ applied: 40, duplicates: 0, deadLettered: 0, held: 5 });
    expect(failures).toEqual(Array(5).fill("gap"));
    expect(await models.query(`SELECT COUNT(*) AS "n" FROM "patient_timeline"`)).toEqual([{ n: 40 }]);
    expect(await models.query(`SELECT "status", "claims" FROM "claims_pipeline" WHERE "claims" <> 0`)).toEqual([{ status: "paid", claims: 5 }]);
    expect(await models.query(`SELECT "patients", "open_encounters" FROM "facility_census" WHERE "facility_id" = 'fac-0001'`)).toEqual([
      { patients: 5, open_encounters: 0 },
    ]);
  });

  it("applies a gapped event once its predecessor arrives within the bound, in the patient's order", async () => {
    const events = story(3);
    // The claim's moves reach the log before its creation (relayed from another shard after a bucket move, say).
    await publish(log, [...events.slice(0, 4), ...events.slice(5), events[4]!]);
    const projector = await startProjector(log, models, { gapWaitMs: 5_000, drainEveryMs: 20 });
    await settled(projector);
    await projector.stop();
    expect(projector.stats).toMatchObject({ applied: 8, deadLettered: 0, held: 0 });
    expect(await models.query(`SELECT "status", "claims" FROM "claims_pipeline" WHERE "claims" <> 0`)).toEqual([{ status: "paid", claims: 1 }]);
  });

  it("retries transient failures off the partition's path, keeps each patient's order, and parks what still fails", async () => {
    await publish(log, [1, 2, 3].flatMap(story));
    let failRate = 1; // every event fails while the fault is on: each patient's first one is retried, the rest wait behind it
    const projector = await startProjector(log, models, {
      retryMs: 10,
      maxRetryMs: 20,
      maxAttempts: 1000,
      drainEveryMs: 10,
      fault: () => ({ delayMs: 0, failRate }),
    });
    await drained(); // the partitions moved on although nothing could be applied
    expect(projector.stats).toMatchObject({ applied: 0, held: 24 });
    failRate = 0;
    await settled(projector);
    expect(projector.stats).toMatchObject({ applied: 24, deadLettered: 0 });
    const rebuilt = await freshModels("clean");
    const clean = await startProjector(log, rebuilt, { group: "clean" });
    await settled(clean, "clean");
    await clean.stop();
    expect(await readModelChecksums(models)).toEqual(await readModelChecksums(rebuilt));

    await projector.stop();

    const strict = await startProjector(log, models, { retryMs: 10, maxAttempts: 3, drainEveryMs: 10, fault: () => ({ delayMs: 0, failRate: 1 }) });
    await publish(log, story(4).slice(0, 1));
    const letters = await (async () => {
      for (const end = Date.now() + 10_000; Date.now() < end; await new Promise((r) => setTimeout(r, 20))) {
        const found = await listDeadLetters(models);
        if (found.length > 0) return found;
      }
      return [];
    })();
    await strict.stop();
    expect(letters).toEqual([
      expect.objectContaining({
        type: "PatientRegistered",
        kind: "transient",
        attempts: 3,
        error: "failed 3 times: projecting this event failed: the read model refused the change",
      }),
    ]);
  });

  it("rebuilds read models equal to the live ones by replaying the log from the beginning", async () => {
    await publish(log, [1, 2, 3, 4, 5].flatMap(story));
    const live = await startProjector(log, models);
    await drained();
    await live.stop();
    const rebuilt = await freshModels("replay");
    const replay = await startProjector(log, rebuilt, { group: "replay-1" });
    await drained("replay-1");
    await replay.stop();
    expect(await readModelChecksums(rebuilt)).toEqual(await readModelChecksums(models));
  });
});
