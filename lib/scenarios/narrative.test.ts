import { describe, expect, it } from "vitest";
import type { Annotation } from "../data/prisma-clients.ts";
import type { SloReport } from "../slo/slo-status.ts";
import { buildNarrative, narrativeMarkdown } from "./narrative.ts";
import type { ScenarioRun } from "./scenario-run.ts";

const t0 = Date.parse("2026-11-24T14:02:00Z");
const iso = (s: number) => new Date(t0 + s * 1000).toISOString();
const run: ScenarioRun = {
  id: "scn-abc-123456",
  scenario: "clinician-latency",
  title: "Clinician latency",
  status: "completed",
  startedBy: "usr-instructor",
  requestId: "req-1",
  traceId: "a".repeat(32),
  startedAt: iso(0),
  endsAt: iso(420),
  endedAt: iso(420),
  endReason: null,
  watch: ["clinician-record-diagnosis-latency"],
  budgetsAtStart: { "clinician-record-diagnosis-latency": 0.998 },
  budgetsAtEnd: { "clinician-record-diagnosis-latency": 0.991 },
  steps: [],
};
const annotation = (s: number, kind: string, title: string, body: Record<string, unknown> = {}, drillRunId: string | null = null): Annotation => ({
  id: `ann-${s}`,
  at: new Date(t0 + s * 1000),
  endAt: null,
  kind,
  title,
  body: JSON.stringify(body),
  tags: "[]",
  actorId: "usr-instructor",
  drillRunId,
  traceId: run.traceId,
});
const transition = (minuteOffset: number, to: "pending" | "firing" | "resolved" | "inactive") => ({
  tier: "page-fast" as const,
  severity: "page" as const,
  minute: t0 / 60_000 + minuteOffset,
  from: "inactive" as const,
  to,
  longBurnRate: 20.04,
  shortBurnRate: 98.7,
});
const report = {
  evaluatedAt: iso(600),
  groups: [],
  slos: [
    {
      name: "clinician-record-diagnosis-latency",
      displayName: "A clinician records a diagnosis: answered within 1000 ms (server)",
      journey: "clinician/record-diagnosis",
      budgetRemaining: 0.9,
      transitions: [transition(1, "pending"), transition(3, "firing"), transition(9, "resolved")],
    },
    {
      name: "patient-view-record-latency",
      displayName: "A patient views their record",
      journey: "patient/view-record",
      budgetRemaining: 1,
      transitions: [transition(2, "pending"), transition(4, "firing"), transition(30, "firing")],
    },
  ],
} as unknown as SloReport;

describe("a scenario's narrative", () => {
  const narrative = buildNarrative(
    run,
    [
      annotation(0, "scenario", "scenario Clinician latency started by usr-instructor", { event: "start" }),
      annotation(10, "scenario", "cue 2: The clinical service now answers 1.5 s late", { event: "cue" }, "drl-1"),
      annotation(10, "drill", "Service latency started by usr-instructor", {}, "drl-1"),
      annotation(95, "traffic", "traffic profile billing-burst started by usr-sre"),
    ],
    [
      {
        id: "drl-1",
        title: "Service latency",
        status: "aborted",
        abortReason: "burn rate of clinician-record-diagnosis-latency above 14.4x",
        requestId: "req-1",
        startedAt: iso(10),
        endedAt: iso(200),
      },
    ],
    report,
    new Date(t0 + 3_600_000),
  );

  it("tells the operators' steps and the SLOs' alerts in time order, pending only for the watched SLOs", () => {
    expect(narrative.entries.map((e) => [e.at.slice(11, 19), e.kind])).toEqual([
      ["14:02:00", "scenario"],
      ["14:02:10", "cue"],
      ["14:02:10", "drill"],
      ["14:03:00", "alert"],
      ["14:03:35", "operator"],
      ["14:05:00", "alert"],
      ["14:06:00", "alert"],
    ]);
    expect(narrative.entries[3]!.text).toBe(
      "page alert pending (page-fast) on clinician/record-diagnosis: A clinician records a diagnosis: answered within 1000 ms (server); burn 20x over the long window, 98.7x over the short",
    );
    // The other SLO's firing at minute 4 is collateral and told; its firing at minute 30 is after the run.
    expect(narrative.entries[6]!).toMatchObject({ kind: "alert", slo: "patient-view-record-latency" });
    expect(narrative.alertsFired).toBe(2);
  });

  it("reports the budget spent between the start and the end, not the budget now", () => {
    expect(narrative.budgets).toEqual([
      {
        slo: "clinician-record-diagnosis-latency",
        displayName: "A clinician records a diagnosis: answered within 1000 ms (server)",
        atStart: 0.998,
        atEnd: 0.991,
        spentPercent: 0.7,
      },
    ]);
    expect(narrative.summary).toBe(
      "Clinician latency, started by usr-instructor, completed. 1 drill(s): Service latency aborted (burn rate of clinician-record-diagnosis-latency above 14.4x). 2 alert(s) fired; 0.7 % of the budget of clinician-record-diagnosis-latency spent.",
    );
  });

  it("reads the budget now while the scenario runs, and says so when the SLOs cannot be read", () => {
    const live = buildNarrative({ ...run, status: "running", endedAt: null, budgetsAtEnd: null }, [], [], report, new Date(t0 + 120_000));
    expect(live.budgets[0]!.atEnd).toBe(0.9);
    expect(live.window.to).toBe(iso(120));
    const blind = buildNarrative({ ...run, budgetsAtStart: null }, [], [], null, new Date(t0 + 120_000));
    expect(blind.summary).toContain("budget spend unknown (the SLOs could not be read)");
  });

  it("renders a post-incident review with impact, drills, timeline and the sections left to fill in", () => {
    const md = narrativeMarkdown(narrative);
    expect(md.split("\n")[0]).toBe("# Post-incident review: Clinician latency");
    expect(md).toContain("| A clinician records a diagnosis: answered within 1000 ms (server) | 99.8 % | 99.1 % | 0.7 % |");
    expect(md).toContain("| Service latency | `drl-1` | aborted | burn rate of clinician-record-diagnosis-latency above 14.4x | `req-1` |");
    expect(md).toContain("- 14:05:00 **alert** page alert firing (page-fast) on clinician/record-diagnosis");
    for (const section of ["## Summary", "## Impact", "## Drills", "## Timeline (UTC)", "## What went well", "## What went wrong", "## Action items"])
      expect(md).toContain(section);
  });
});
