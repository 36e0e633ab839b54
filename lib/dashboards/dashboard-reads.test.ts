import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type SqlDatabase, openSqlite } from "../data/sql-database.ts";
import type { EventEnvelope } from "../events/envelope.ts";
import { applyEvents, migrateReadModels } from "../events/projections.ts";
import { claimsPipeline, facilityCensus, openEncounters, patientTimeline, readModelsAsOf } from "./dashboard-reads.ts";

let minute = 0;
function event(type: string, patientId: string, payload: Record<string, unknown>): EventEnvelope {
  const occurredAt = new Date(Date.UTC(2026, 10, 24, 9, minute++)).toISOString();
  return {
    eventId: randomUUID(), type, version: 1, occurredAt, shard: 0, outboxPosition: minute, aggregateType: type, aggregateId: patientId, partitionKey: patientId,
    headers: { requestId: "req-1", traceparent: null, actorId: "usr-1", shard: 0 }, payload,
  };
}

/** A patient registered at a facility, seen once; the encounter left open or closed and billed to paid or denied. */
function visit(n: number, facilityId: string, end: "open" | "paid" | "denied"): EventEnvelope[] {
  const [p, enc, clm] = [`pat-${n}`, `enc-${n}`, `clm-${n}`];
  const claim = { claimId: clm, patientId: p, facilityId, totalCents: 12_500, allowedCents: null, paidCents: null, denialReason: null };
  const events = [
    event("PatientRegistered", p, { patientId: p, facilityId, sex: "female", birthYear: 1980, registeredAt: "2026-11-24T09:00:00.000Z" }),
    event("EncounterOpened", p, { encounterId: enc, patientId: p, facilityId, providerId: "prv-0001-01", kind: "outpatient", startedAt: `2026-11-24T09:${String(n).padStart(2, "0")}:00.000Z` }),
  ];
  if (end === "open") return events;
  return [
    ...events,
    event("DiagnosisRecorded", p, { diagnosisId: `dx-${n}`, encounterId: enc, patientId: p, code: "J06.9", recordedAt: "2026-11-24T09:10:00.000Z" }),
    event("EncounterClosed", p, { encounterId: enc, patientId: p, facilityId, endedAt: "2026-11-24T09:30:00.000Z", durationMinutes: 20 }),
    event("ClaimCreated", p, { claimId: clm, patientId: p, encounterId: enc, facilityId, payer: "medicare", totalCents: 12_500 }),
    event("ClaimSubmitted", p, { ...claim, status: "submitted" }),
    end === "paid" ? event("ClaimPaid", p, { ...claim, status: "paid", allowedCents: 10_000, paidCents: 10_000 }) : event("ClaimDenied", p, { ...claim, status: "denied", denialReason: "not covered" }),
  ];
}

describe("a patient's timeline from the read models", () => {
  let db: SqlDatabase;
  beforeEach(async () => {
    db = openSqlite(":memory:", "read models");
    await migrateReadModels(db);
    await applyEvents(db, [...visit(1, "fac-0001", "paid"), ...visit(2, "fac-0001", "denied"), ...visit(3, "fac-0001", "open"), ...visit(4, "fac-0002", "paid"), ...visit(5, "fac-0002", "open")]);
  });
  afterEach(() => db.close());

  it("tells a patient's timeline newest first in lines that carry codes and amounts, not the payload", async () => {
    const timeline = await patientTimeline(db, "pat-2", 50);
    expect(timeline.map((e) => e.summary)).toEqual([
      "claim clm-2 denied: not covered",
      "claim clm-2 submitted",
      "claim clm-2 of $125.00 to medicare created",
      "encounter enc-2 closed after 20 min",
      "diagnosis J06.9 recorded in enc-2",
      "outpatient encounter enc-2 opened at fac-0001",
      "registered at fac-0001",
    ]);
    expect(timeline.some((e) => /female|1980/.test(e.summary))).toBe(false);
    expect(await patientTimeline(db, "pat-2", 2)).toHaveLength(2);
    expect(await readModelsAsOf(db)).toBe(new Date(Date.UTC(2026, 10, 24, 9, minute - 1)).toISOString());
  });
});

describe("census and claims pipeline, counted across the shards", () => {
  const shards: { readSql: SqlDatabase }[] = [];
  // Shard 1 also holds a stale copy of bucket 7 (pat-9 and its rows), fenced there: it must not count twice.
  const SHARDS = [
    {
      patients: [["pat-1", 1, "fac-0001"], ["pat-2", 2, "fac-0001"], ["pat-3", 3, "fac-0002"], ["pat-9", 7, "fac-0001"]],
      encounters: [["enc-1", "pat-1", "fac-0001", "open", "2026-11-24T09:05:00.000+00:00"], ["enc-2", "pat-2", "fac-0001", "closed", "2026-11-24T08:00:00.000+00:00"]],
      claims: [["pat-1", "fac-0001", "paid", 10_000], ["pat-2", "fac-0001", "denied", 12_500]],
      fenced: [],
    },
    {
      patients: [["pat-4", 4, "fac-0001"], ["pat-5", 5, "fac-0002"], ["pat-9", 7, "fac-0001"]],
      encounters: [["enc-3", "pat-4", "fac-0001", "open", "2026-11-24T09:01:00.000+00:00"], ["enc-4", "pat-5", "fac-0002", "open", "2026-11-24T07:00:00.000+00:00"], ["enc-9", "pat-9", "fac-0001", "open", "2026-11-24T06:00:00.000+00:00"]],
      claims: [["pat-5", "fac-0002", "paid", 5_000], ["pat-4", "fac-0001", "submitted", 2_000], ["pat-9", "fac-0001", "denied", 99_999]],
      fenced: [7],
    },
  ];
  beforeEach(async () => {
    for (const rows of SHARDS) {
      const sql = openSqlite(":memory:", "shard");
      await sql.executeScript(
        `CREATE TABLE "patients" ("id" TEXT PRIMARY KEY, "bucket" INTEGER, "facilityId" TEXT); CREATE TABLE "encounters" ("id" TEXT, "patientId" TEXT, "facilityId" TEXT, "status" TEXT, "startedAt" TEXT); ` +
          `CREATE TABLE "claims" ("patientId" TEXT, "facilityId" TEXT, "status" TEXT, "totalCents" INTEGER); CREATE TABLE "bucket_fences" ("bucket" INTEGER PRIMARY KEY);`,
      );
      for (const p of rows.patients) await sql.execute(`INSERT INTO "patients" VALUES (?, ?, ?)`, p);
      for (const e of rows.encounters) await sql.execute(`INSERT INTO "encounters" VALUES (?, ?, ?, ?, ?)`, e);
      for (const c of rows.claims) await sql.execute(`INSERT INTO "claims" VALUES (?, ?, ?, ?)`, c);
      for (const b of rows.fenced) await sql.execute(`INSERT INTO "bucket_fences" VALUES (?)`, [b]);
      shards.push({ readSql: sql });
    }
  });
  afterEach(() => {
    for (const s of shards.splice(0)) s.readSql.close();
  });

  it("adds up a facility's patients and encounters over every shard, leaving out fenced copies, and lists its open encounters longest-open first", async () => {
    expect(await facilityCensus(shards, "fac-0001")).toEqual([{ facilityId: "fac-0001", patients: 4, openEncounters: 2, encountersTotal: 3 }]);
    expect((await facilityCensus(shards)).map((c) => [c.facilityId, c.patients, c.openEncounters])).toEqual([["fac-0001", 4, 2], ["fac-0002", 2, 1]]);
    expect((await openEncounters(shards, "fac-0001", 10)).map((e) => [e.encounterId, e.startedAt])).toEqual([["enc-3", "2026-11-24T09:01:00.000Z"], ["enc-1", "2026-11-24T09:05:00.000Z"]]);
    expect(await openEncounters(shards, "fac-0001", 1)).toHaveLength(1);
  });

  it("gives the claims pipeline by status and the denial rate among decided claims, worst facility first", async () => {
    const all = await claimsPipeline(shards);
    expect(all.byStatus).toEqual([
      { status: "draft", claims: 0, totalCents: 0 },
      { status: "submitted", claims: 1, totalCents: 2_000 },
      { status: "adjudicated", claims: 0, totalCents: 0 },
      { status: "paid", claims: 2, totalCents: 15_000 },
      { status: "denied", claims: 1, totalCents: 12_500 },
    ]);
    expect(all.denialRate).toBeCloseTo(1 / 3);
    expect(all.byFacility).toEqual([
      { facilityId: "fac-0001", claims: 3, denied: 1, denialRate: 0.5 },
      { facilityId: "fac-0002", claims: 1, denied: 0, denialRate: 0 },
    ]);
    expect((await claimsPipeline(shards, "fac-0009")).denialRate).toBeNull();
  });
});
