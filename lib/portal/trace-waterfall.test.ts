import { describe, expect, it } from "vitest";
import type { StoredSpan } from "../telemetry/span-store.ts";
import { traceWaterfall } from "./trace-waterfall.ts";

const TRACE = "a".repeat(32);
const span = (spanId: string, o: Partial<StoredSpan> & { startUs: number; durationUs: number }): StoredSpan => ({
  traceId: TRACE,
  spanId,
  parentSpanId: null,
  service: "gateway",
  name: spanId,
  kind: 1,
  statusCode: 0,
  statusMessage: null,
  attributes: {},
  linksTo: [],
  ...o,
});

describe("trace waterfall", () => {
  it("nests spans under their parents in start order on one axis, and puts linked batch spans after them", () => {
    const { totalMs, rows } = traceWaterfall(TRACE, [
      span("gw", { startUs: 1_000, durationUs: 10_000, parentSpanId: "browser-span-not-kept" }),
      span("clin-tx", {
        startUs: 4_000,
        durationUs: 3_000,
        parentSpanId: "clin",
        service: "clinical",
        kind: 0,
        statusCode: 2,
        statusMessage: "shard-1 timed out",
      }),
      span("clin", { startUs: 3_000, durationUs: 6_000, parentSpanId: "gw-client", service: "clinical" }),
      span("gw-client", { startUs: 2_000, durationUs: 8_000, parentSpanId: "gw", kind: 2 }),
      span("relay", { traceId: "b".repeat(32), startUs: 16_000, durationUs: 5_000, service: "projector", kind: 3, linksTo: ["clin-tx"] }),
    ]);
    expect(totalMs).toBe(20);
    expect(rows.map((r) => [r.spanId, r.depth, r.kind, r.linked])).toEqual([
      ["gw", 0, "server", false],
      ["gw-client", 1, "client", false],
      ["clin", 2, "server", false],
      ["clin-tx", 3, "internal", false],
      ["relay", 0, "producer", true],
    ]);
    expect(rows[0]).toMatchObject({ offsetPercent: 0, widthPercent: 50, startOffsetMs: 0, durationMs: 10 });
    expect(rows[3]).toMatchObject({ offsetPercent: 15, error: true, statusMessage: "shard-1 timed out" });
    expect(rows[4]).toMatchObject({ offsetPercent: 75, widthPercent: 25 });
  });

  it("draws an empty trace as no rows", () => {
    expect(traceWaterfall(TRACE, [])).toEqual({ totalMs: 0, rows: [] });
  });
});
