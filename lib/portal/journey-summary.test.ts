import { describe, expect, it } from "vitest";
import { journeySummaries } from "./journey-summary.ts";
import type { SloBoardRow } from "./slo-board.ts";

const row = (name: string, journey: string, budget: number, firing: string[] = [], pending: string[] = []): SloBoardRow => ({
  name,
  displayName: name,
  journey,
  source: "server",
  targetPercent: 99.9,
  windowDays: 30,
  budgetRemainingPercent: budget,
  firing,
  pending,
  burnNow: 0,
});

describe("journey summaries", () => {
  it("folds a journey's SLOs into one line with its lowest budget, firing journeys first, then pending, then by budget", () => {
    const summaries = journeySummaries([
      row("pat-view-availability", "patient/view-record", 99),
      row("pat-view-latency", "patient/view-record", 40),
      row("clin-dx-latency", "clinician/record-diagnosis", 70, ["page-fast"], ["ticket-slow"]),
      row("clin-dx-availability", "clinician/record-diagnosis", 95),
      row("bill-claim-availability", "billing/submit-claim", 90, [], ["page-slow"]),
      row("sre-board-availability", "sre/view-board", 10),
    ]);
    expect(summaries.map((s) => s.journey)).toEqual(["clinician/record-diagnosis", "billing/submit-claim", "sre/view-board", "patient/view-record"]);
    expect(summaries[0]).toEqual({
      journey: "clinician/record-diagnosis",
      persona: "clinician",
      slos: 2,
      worstSlo: "clin-dx-latency",
      worstBudgetPercent: 70,
      firing: ["page-fast on clin-dx-latency"],
      pending: ["ticket-slow on clin-dx-latency"],
    });
    expect(summaries[3]).toMatchObject({ persona: "patient", slos: 2, worstSlo: "pat-view-latency", worstBudgetPercent: 40, firing: [], pending: [] });
  });

  it("has no line without SLOs", () => {
    expect(journeySummaries([])).toEqual([]);
  });
});
