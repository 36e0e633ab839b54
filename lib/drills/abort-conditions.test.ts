import { describe, expect, it } from "vitest";
import { abortVerdict, unknownSlos } from "./abort-conditions.ts";
import { AbortCondition, DrillLaunch, scheduleTimes } from "./drill-request.ts";

const tier = (name: string, shortBurnRate: number) => ({ tier: name, severity: "page", factor: 14.4, longBurnRate: 0, shortBurnRate, conditionMet: false, state: "inactive" });
const report = {
  slos: [
    { name: "clinician-record-diagnosis-availability", budgetRemaining: 0.93, tiers: [tier("page-fast", 20.5), tier("ticket-slow", 2)] },
    { name: "patient-view-record-availability", budgetRemaining: 0.4, tiers: [tier("page-fast", 0.5)] },
  ],
} as never;

describe("drill abort conditions", () => {
  it("holds when the chosen tier's short window burns faster than the factor, and says which SLO and how fast", () => {
    const conditions = [AbortCondition.parse({ slo: "clinician-record-diagnosis-availability", burnRateAbove: 14.4 })];
    expect(abortVerdict(conditions, report)?.reason).toBe("clinician-record-diagnosis-availability burns its budget 20.5x over the page-fast tier's short window (abort above 14.4x)");
    expect(abortVerdict([AbortCondition.parse({ slo: "clinician-record-diagnosis-availability", burnRateAbove: 25 })], report)).toBeNull();
    expect(abortVerdict([AbortCondition.parse({ slo: "clinician-record-diagnosis-availability", burnRateAbove: 1, tier: "ticket-slow" })], report)?.condition).toMatchObject({ tier: "ticket-slow" });
  });

  it("holds when the budget left falls below the floor; the first condition that holds wins", () => {
    const conditions = [AbortCondition.parse({ slo: "patient-view-record-availability", burnRateAbove: 14.4 }), AbortCondition.parse({ slo: "patient-view-record-availability", budgetBelow: 0.5 })];
    expect(abortVerdict(conditions, report)?.reason).toBe("patient-view-record-availability has 40 % of its error budget left (abort below 50 %)");
  });

  it("names the SLOs a launch asks for that do not exist", () => {
    expect(unknownSlos([{ slo: "a", budgetBelow: 0.5 }, { slo: "b", budgetBelow: 0.5 }], new Set(["a"]))).toEqual(["b"]);
  });
});

describe("drill launch requests", () => {
  it("refuses what the launcher got wrong, naming the field", () => {
    const bad = DrillLaunch.safeParse({ drill: "error-burst", durationSeconds: 2, schedule: { cron: "every minute" } });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join("."))).toEqual(["durationSeconds", "schedule.cron"]);
  });

  it("lists a cron schedule's next firings in UTC, as many as it allows", () => {
    const times = scheduleTimes({ cron: "*/15 * * * *", times: 3 }, new Date("2026-11-24T14:07:00Z"), 10);
    expect(times.map((t) => t.toISOString())).toEqual(["2026-11-24T14:15:00.000Z", "2026-11-24T14:30:00.000Z", "2026-11-24T14:45:00.000Z"]);
    expect(scheduleTimes({ at: "2026-11-25T09:00:00Z" }, new Date(), 5).map((t) => t.toISOString())).toEqual(["2026-11-25T09:00:00.000Z"]);
  });
});
