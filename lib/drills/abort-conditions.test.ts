import { describe, expect, it } from "vitest";
import { abortVerdict, describeAbortCondition, unknownSlos } from "./abort-conditions.ts";
import { AbortCondition, DrillLaunch, scheduleTimes } from "./drill-request.ts";

const tier = (name: string, shortBurnRate: number, state = "inactive") => ({
  tier: name,
  severity: "page",
  factor: 14.4,
  longBurnRate: 0,
  shortBurnRate,
  conditionMet: false,
  state,
});
const report = {
  slos: [
    { name: "clinician-record-diagnosis-availability", budgetRemaining: 0.93, tiers: [tier("page-fast", 20.5, "pending"), tier("ticket-slow", 2)] },
    { name: "patient-view-record-availability", budgetRemaining: 0.4, tiers: [tier("page-fast", 0.5), tier("page-slow", 7, "firing")] },
  ],
} as never;

describe("drill abort conditions", () => {
  it("holds when the chosen tier's short window burns faster than the factor, and says which SLO and how fast", () => {
    const conditions = [AbortCondition.parse({ slo: "clinician-record-diagnosis-availability", burnRateAbove: 14.4 })];
    expect(abortVerdict(conditions, report)?.reason).toBe(
      "clinician-record-diagnosis-availability burns its budget 20.5x over the page-fast tier's short window (abort above 14.4x)",
    );
    expect(abortVerdict([AbortCondition.parse({ slo: "clinician-record-diagnosis-availability", burnRateAbove: 25 })], report)).toBeNull();
    expect(
      abortVerdict([AbortCondition.parse({ slo: "clinician-record-diagnosis-availability", burnRateAbove: 1, tier: "ticket-slow" })], report)?.condition,
    ).toMatchObject({ tier: "ticket-slow" });
  });

  it("holds when the budget left falls below the floor; the first condition that holds wins", () => {
    const conditions = [
      AbortCondition.parse({ slo: "patient-view-record-availability", burnRateAbove: 14.4 }),
      AbortCondition.parse({ slo: "patient-view-record-availability", budgetBelow: 0.5 }),
    ];
    expect(abortVerdict(conditions, report)?.reason).toBe("patient-view-record-availability has 40 % of its error budget left (abort below 50 %)");
  });

  it("holds once the chosen tier's alert fires, not while it is pending", () => {
    const pending = AbortCondition.parse({ slo: "clinician-record-diagnosis-availability", alertFiring: "page-fast" });
    expect(abortVerdict([pending], report)).toBeNull();
    const firing = AbortCondition.parse({ slo: "patient-view-record-availability", alertFiring: "page-slow" });
    expect(abortVerdict([pending, firing], report)).toEqual({ condition: firing, reason: "patient-view-record-availability's page-slow alert is firing" });
    expect(abortVerdict([AbortCondition.parse({ slo: "patient-view-record-availability", alertFiring: "page-fast" })], report)).toBeNull();
    expect(AbortCondition.safeParse({ slo: "patient-view-record-availability", alertFiring: "page-now" }).success).toBe(false);
  });

  it("says what each kind of condition waits for", () => {
    expect(
      [
        { slo: "s", burnRateAbove: 14.4, tier: "page-fast" as const },
        { slo: "s", alertFiring: "page-fast" as const },
        { slo: "s", budgetBelow: 0.5 },
      ].map(describeAbortCondition),
    ).toEqual(["page-fast burn rate above 14.4", "its page-fast alert fires", "error budget left below 0.5"]);
  });

  it("names the SLOs a launch asks for that do not exist", () => {
    expect(
      unknownSlos(
        [
          { slo: "a", budgetBelow: 0.5 },
          { slo: "b", budgetBelow: 0.5 },
        ],
        new Set(["a"]),
      ),
    ).toEqual(["b"]);
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
