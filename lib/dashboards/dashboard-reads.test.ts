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
    eventId: randomUUID(),
    type,
    version: 1,
    occurredAt,
    shard: 0,
    outboxPosition: minute,
    aggregateType: type,
    aggregateId: patientId,
    partitionKey: patientId,
    headers: { requestId: "req-1", traceparent: null, actorId: "usr-1", shard: 0 },
    payload,
  };
}

/** A patient registered at a facility, seen once; the encounter left open or closed and billed to paid or denied. */
function visit(n: number, facilityId: string, end: "open" | "paid" | "denied"): EventEnvelope[] {
  const [p, enc, clm] = [`pat-${n}`, `enc-${n}`, `clm-${n}`];
  const claim = { claimId: clm, patientId: p, facilityId, totalCents: 12_500, allowedCents: null, paidCents: null, denialReason: null };
  const events = [
    event("PatientRegistered", p, { patientId: p, facilityId, sex: "female", birthYear: 1980, registeredAt: "2026-11-24T09:00:00.000Z" }),
    event("EncounterOpened", p, {
      encounterId: enc,
      patientId: p,
      facilityId,
      providerId: "prv-0001-01",
      kind: "outpatient",
      startedAt: `2026-11-24T09:${String(n).padStart(2, "0")}:00.000Z`,
    }),
  ];
  if (end === "open") return events;
  return [
    ...events,
    event("DiagnosisRecorded", p, { diagnosisId: `dx-${n}`, encounterId: enc, patientId: p, code: "J06.9", recordedAt: "2026-11-24T09:10:00.000Z" }),
    event("EncounterClosed", p, { encounterId: enc, patientId: p, facilityId, endedAt: "2026-11-24T09:30:00.000Z", durationMinutes: 20 }),
    event("ClaimCreated", p, { claimId: clm, patientId: p, encounterId: enc, facilityId, payer: "medicare", totalCents: 12_500 }),
    event("ClaimSubmitted", p, { ...claim, status: "submitted" }),
    end === "paid"
      ? event("ClaimPaid", p, { ...claim, status: "paid", allowedCents: 10_000, paidCents: 10_000 })
      : event("ClaimDenied", p, { ...claim, status: "denied", denialReason: "not covered" }),
  ];
}

type Visit = Parameters<typeof visit>;
/** Five patients' visits: at fac-0001 paid, denied and still open; at fac-0002 paid and still open. */
const FIVE_VISITS: Visit[] = [
  [1, "fac-0001", "paid"],
  [2, "fac-0001", "denied"],
  [3, "fac-0001", "open"],
  [4, "fac-0002", "paid"],
  [5, "fac-0002", "open"],
];

/** Read models in memory holding these visits' events, made afresh for each test of the describe block. */
function readModelsOf(visits: Visit[]): () => SqlDatabase {
  let db: SqlDatabase;
  beforeEach(async () => {
    db = openSqlite(":memory:", "read models");
    await migrateReadModels(db);
    await applyEvents(
      db,
      visits.flatMap((v) => visit(...v)),
    );
  });
  afterEach(() => db.close());
  return () => db;
}

describe("a patient's timeline from the read models", () => {
  const readModels = readModelsOf(FIVE_VISITS);

  it("tells a patient's timeline newest first in lines that carry codes and amounts, not the payload", async () => {
    const db = readModels();
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

describe("census and claims pipeline from the read models", () => {
  const readModels = readModelsOf([...FIVE_VISITS, [6, "fac-0001", "open"]]);

  it("gives a facility's patients and encounters, and its open encounters longest-open first", async () => {
    const db = readModels();
    expect(await facilityCensus(db, "fac-0001")).toEqual([{ facilityId: "fac-0001", patients: 4, openEncounters: 2, encountersTotal: 4 }]);
    expect((await facilityCensus(db)).map((c) => [c.facilityId, c.patients, c.openEncounters])).toEqual([
      ["fac-0001", 4, 2],
      ["fac-0002", 2, 1],
    ]);
    expect((await openEncounters(db, "fac-0001", 10)).map((e) => [e.encounterId, e.startedAt])).toEqual([
      ["enc-3", "2026-11-24T09:03:00.000Z"],
      ["enc-6", "2026-11-24T09:06:00.000Z"],
    ]);
    expect(await openEncounters(db, "fac-0001", 1)).toHaveLength(1);
  });

  it("gives the claims pipeline by status and the denial rate among decided claims, worst facility first", async () => {
    const db = readModels();
    const all = await claimsPipeline(db);
    expect(all.byStatus).toEqual([
      { status: "draft", claims: 0, totalCents: 0 },
      { status: "submitted", claims: 0, totalCents: 0 },
      { status: "adjudicated", claims: 0, totalCents: 0 },
      { status: "paid", claims: 2, totalCents: 25_000 },
      { status: "denied", claims: 1, totalCents: 12_500 },
    ]);
    expect(all.denialRate).toBeCloseTo(1 / 3);
    expect(all.byFacility).toEqual([
      { facilityId: "fac-0001", claims: 2, denied: 1, denialRate: 0.5 },
      { facilityId: "fac-0002", claims: 1, denied: 0, denialRate: 0 },
    ]);
    expect((await claimsPipeline(db, "fac-0009")).denialRate).toBeNull();
  });
});
