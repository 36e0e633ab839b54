import { describe, expect, it } from "vitest";
import { type SloDetail, alertHistory, annotationSpans, budgetAxisWidth, budgetTick, chartRows, spanLabel, spanLabelPosition } from "./slo-detail.ts";

const at = (m: number) => new Date(Date.UTC(2026, 10, 24, 14, m)).toISOString();
const point = (m: number, budget: number, short: number | null) => ({
  at: at(m),
  budgetRemaining: budget,
  requests: 100,
  bad: 1,
  burn: { "page-fast": { long: 2.345, short } },
});
const detail: SloDetail = {
  slo: {
    name: "clinician-record-diagnosis-latency",
    displayName: "Diagnosis",
    journey: "clinician/record-diagnosis",
    source: "server",
    service: "clinical",
    target: 0.99,
    windowMinutes: 43200,
    sli: { kind: "latency", thresholdMs: 500 },
  },
  budgetRemaining: 0.99,
  tiers: [],
  transitions: [
    { tier: "page-fast", severity: "page", minute: Date.parse(at(3)) / 60_000, from: "inactive", to: "pending", longBurnRate: 20, shortBurnRate: 90.04 },
    { tier: "page-fast", severity: "page", minute: Date.parse(at(5)) / 60_000, from: "pending", to: "firing", longBurnRate: 30, shortBurnRate: 95 },
  ],
  noData: null,
  history: {
    slo: "clinician-record-diagnosis-latency",
    minutes: 4,
    tiers: [],
    points: [point(1, 1, null), point(2, 0.99876, 12.3456), point(3, 0.995, 80), point(4, 0.99, 90)],
  },
  counterpart: {
    name: "clinician-record-diagnosis-latency-client",
    displayName: "Diagnosis (client)",
    source: "client",
    history: { slo: "clinician-record-diagnosis-latency-client", minutes: 2, tiers: [], points: [point(2, 0.9, 40), point(3, 0.8, 50)] },
  },
  annotations: [
    { at: at(2), endAt: at(30), kind: "drill", title: "Service latency started by usr-instructor", drillRunId: "drl-1", status: "running" },
    { at: at(2), endAt: null, kind: "drill", title: "Service latency: add 1500 ms", drillRunId: "drl-1", status: "running" },
    { at: at(3), endAt: null, kind: "drill", title: "Service latency aborted", drillRunId: "drl-1", status: "aborted" },
    { at: at(0), endAt: at(60), kind: "scenario", title: "scenario Clinician latency started", drillRunId: null, status: "running" },
  ],
};

describe("the SLO detail charts' data", () => {
  it("gives one row per minute with budget in %, the tier's burn rates, and the other side's where it has data", () => {
    const rows = chartRows(detail, "page-fast");
    expect(rows.map((r) => [r.budget, r.short, r.otherBudget, r.otherShort])).toEqual([
      [100, null, null, null],
      [99.88, 12.35, 90, 40],
      [99.5, 80, 80, 50],
      [99, 90, null, null],
    ]);
    expect(rows[0]!.long).toBe(2.35);
  });

  it("spans a drill from its start to its abort, and a scenario to its planned end, clipped to the charted minutes", () => {
    expect(annotationSpans(detail)).toEqual([
      { from: Date.parse(at(2)), to: Date.parse(at(3)), kind: "drill", title: "Service latency started by usr-instructor" },
      { from: Date.parse(at(1)), to: Date.parse(at(4)), kind: "scenario", title: "scenario Clinician latency started" },
    ]);
  });

  it("lists the alert history newest first", () => {
    expect(alertHistory(detail)).toEqual([
      { at: at(5), text: "page-fast (page) pending → firing: burn 30x long, 95x short" },
      { at: at(3), text: "page-fast (page) inactive → pending: burn 20x long, 90x short" },
    ]);
  });

  it("says why a no-data alert changed instead of its burn rates, which it has none of", () => {
    const silent = {
      ...detail,
      transitions: [
        {
          tier: "no-data" as const,
          severity: "page" as const,
          minute: Date.parse(at(7)) / 60_000,
          from: "pending" as const,
          to: "firing" as const,
          longBurnRate: Number.NaN,
          shortBurnRate: Number.NaN,
        },
      ],
    };
    expect(alertHistory(silent)).toEqual([
      { at: at(7), text: "no-data (page) pending → firing: no requests counted on this side for 5 min while the other side counted the journey every minute" },
    ]);
  });

  it("keeps the sign of a negative budget tick, and widens the axis so the sign is not cut off", () => {
    expect(budgetTick(650)).toBe("650 %");
    expect(budgetTick(-650)).toBe("\u2212650 %");
    expect(budgetTick(-1805)).toBe("\u22121,805 %");
    expect(budgetTick(0)).toBe("0 %");
    expect(budgetAxisWidth([{ budget: 99, otherBudget: 98 }])).toBe(60);
    expect(budgetAxisWidth([{ budget: -1805, otherBudget: null }])).toBeGreaterThan(budgetAxisWidth([{ budget: -65 }]));
  });

  it("labels a lab start's span in words, inside the chart even at its right edge", () => {
    expect(spanLabel("lab-start")).toBe("lab start");
    expect(spanLabel("drill")).toBe("drill");
    const rows = [{ t: 0 }, { t: 100 }];
    expect(spanLabelPosition({ from: 95, to: 100 }, rows)).toBe("insideTopRight");
    expect(spanLabelPosition({ from: 10, to: 20 }, rows)).toBe("insideTopLeft");
  });
});
