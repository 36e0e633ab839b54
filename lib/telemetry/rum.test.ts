import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SqlDatabase, openSqlite } from "../data/sql-database.ts";
import { FaroPayload, ingestRum, rumEventsOfTrace } from "./rum.ts";
import { readTrace } from "./span-store.ts";
import { migrateTelemetryStore } from "./telemetry-store.ts";

const dir = mkdtempSync(join(tmpdir(), "pimlab-rum-"));
let db: SqlDatabase;
beforeAll(async () => {
  db = openSqlite(join(dir, "telemetry.db"), "telemetry");
  await migrateTelemetryStore(db);
});
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const traceId = "0af7651916cd43dd8448eb211c80319c";
const payload = {
  meta: { app: { name: "pim-portal", version: "0.1.0" }, session: { id: "sess-1" }, page: { url: "https://lab.example/patients/pat-1?mrn=MRN-0001#top" } },
  measurements: [
    { type: "web-vitals", values: { lcp: 1834.5 }, timestamp: "2026-11-24T10:00:00.000Z", trace: { trace_id: traceId, span_id: "b7ad6b7169203331" } },
  ],
  exceptions: [
    {
      type: "TypeError",
      value: "cannot read patient jane.doe@example.org (555-010-1234)",
      timestamp: "2026-11-24T10:00:01.000Z",
      trace: { trace_id: traceId, span_id: "b7ad6b7169203331" },
    },
  ],
  traces: {
    resourceSpans: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: "pim-portal" } }] },
        scopeSpans: [
          {
            spans: [
              {
                traceId,
                spanId: "b7ad6b7169203331",
                name: "documentFetch",
                kind: 3,
                startTimeUnixNano: "1795516800000000000",
                endTimeUnixNano: "1795516800250000000",
                attributes: [{ key: "http.url", value: { stringValue: "/api/health" } }],
              },
            ],
          },
        ],
      },
    ],
  },
};

describe("real-user monitoring", () => {
  it("keeps a Faro payload's vitals, scrubbed exceptions and browser spans, joined to the trace", async () => {
    const parsed = FaroPayload.parse(payload);
    expect(await ingestRum(db, parsed, new Date("2026-11-24T10:00:02Z"))).toEqual({ events: 2, spans: 1 });
    const events = await rumEventsOfTrace(db, traceId);
    expect(events.map((e) => [e.kind, e.name])).toEqual([
      ["measurement", "web-vitals"],
      ["exception", "TypeError"],
    ]);
    expect(events[0]!.detail).toEqual({ lcp: 1834.5 });
    expect(events[1]!.detail).toEqual({ value: "cannot read patient [redacted] ([redacted])" });
    expect(events[0]!.pageUrl).toBe("https://lab.example/patients/pat-1");
    const [span] = await readTrace(db, traceId);
    expect(span).toMatchObject({
      service: "browser:pim-portal",
      name: "documentFetch",
      kind: 2,
      durationUs: 250_000,
      attributes: { "http.url": "/api/health" },
    });
  });

  it("refuses a malformed payload naming the field", () => {
    const bad = FaroPayload.safeParse({ ...payload, measurements: [{ type: "web-vitals", values: { lcp: "slow" }, timestamp: "yesterday" }] });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join("."))).toEqual(["measurements.0.values.lcp", "measurements.0.timestamp"]);
  });
});
