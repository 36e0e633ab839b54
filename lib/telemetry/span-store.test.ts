import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type SqlDatabase, openSqlite } from "../data/sql-database.ts";
import { recentTraces } from "./span-store.ts";
import { migrateTelemetryStore } from "./telemetry-store.ts";

const T0 = Date.UTC(2026, 10, 24, 20, 0) * 1000; // µs
const span = (
  db: SqlDatabase,
  traceId: string,
  spanId: string,
  o: { service: string; kind: number; name: string; startUs: number; durationUs: number; status?: number; parent?: string },
) =>
  db.execute(
    `INSERT INTO "spans" ("trace_id", "span_id", "parent_span_id", "service", "name", "kind", "start_us", "duration_us", "status_code", "status_message", "attributes") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, '{}')`,
    [traceId, spanId, o.parent ?? null, o.service, o.name, o.kind, o.startUs, o.durationUs, o.status ?? 0],
  );

describe("recent traces", () => {
  let db: SqlDatabase;
  beforeEach(async () => {
    db = openSqlite(":memory:", "telemetry");
    await migrateTelemetryStore(db);
    await span(db, "a".repeat(32), "a1", { service: "gateway", kind: 1, name: "GET /patients/:patientId", startUs: T0, durationUs: 4_000 });
    await span(db, "b".repeat(32), "b1", { service: "gateway", kind: 1, name: "POST /patients", startUs: T0 + 1_000_000, durationUs: 250_000 });
    await span(db, "b".repeat(32), "b2", {
      service: "clinical",
      kind: 1,
      name: "POST /patients",
      startUs: T0 + 1_001_000,
      durationUs: 240_000,
      status: 2,
      parent: "b1",
    });
    await span(db, "c".repeat(32), "c1", { service: "projector", kind: 4, name: "project batch", startUs: T0 + 2_000_000, durationUs: 1_000 });
  });
  afterEach(() => db.close());

  it("lists the gateway's requests newest first, flagging a trace with a failed span anywhere", async () => {
    expect(await recentTraces(db, { limit: 10, sinceUs: T0 })).toEqual([
      { traceId: "b".repeat(32), spanId: "b1", name: "POST /patients", startedAt: "2026-11-24T20:00:01.000Z", durationMs: 250, error: true },
      { traceId: "a".repeat(32), spanId: "a1", name: "GET /patients/:patientId", startedAt: "2026-11-24T20:00:00.000Z", durationMs: 4, error: false },
    ]);
  });

  it("keeps only failed or slow ones when asked, and honours the limit and the start", async () => {
    expect((await recentTraces(db, { limit: 10, sinceUs: T0, errorsOnly: true })).map((t) => t.traceId[0])).toEqual(["b"]);
    expect((await recentTraces(db, { limit: 10, sinceUs: T0, minDurationMs: 100 })).map((t) => t.traceId[0])).toEqual(["b"]);
    expect((await recentTraces(db, { limit: 1, sinceUs: T0 })).map((t) => t.traceId[0])).toEqual(["b"]);
    expect(await recentTraces(db, { limit: 10, sinceUs: T0 + 5_000_000 })).toEqual([]);
  });
});
