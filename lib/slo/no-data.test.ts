import { describe, expect, it } from "vitest";
import { evaluateSlos } from "./evaluate-slos.ts";
import { noDataSides, replayNoData } from "./no-data.ts";
import { availabilitySlo } from "./slo-fixture.ts";
import { alertChanges } from "./slo-alerting.ts";
import type { SloReport } from "./slo-status.ts";

const minutes = (...runs: [number, number][]) => runs.flatMap(([n, value]) => Array<number>(n).fill(value));

describe("the no-data alert", () => {
  it("goes pending after five silent minutes while the other side counts, fires a minute later, and resolves when counting returns", () => {
    const own = minutes([20, 50], [10, 0], [10, 50]);
    const other = minutes([40, 30]);
    const { transitions, alert } = replayNoData(own, other, 1000);
    expect(transitions.map((t) => [t.minute - 1000, t.from, t.to])).toEqual([
      [25, "inactive", "pending"],
      [26, "pending", "firing"],
      [31, "firing", "resolved"],
    ]);
    expect(transitions.every((t) => t.tier === "no-data" && t.severity === "page")).toBe(true);
    expect(alert.state).toBe("resolved");
  });

  it("stays quiet when both sides fall silent (traffic shed, a quiet night) and when a side is only slow to start", () => {
    expect(replayNoData(minutes([10, 50], [30, 0]), minutes([10, 30], [30, 0]), 0).transitions).toEqual([]);
    expect(replayNoData(minutes([4, 0], [30, 50]), minutes([34, 30]), 0).transitions).toEqual([]);
    // A lab's first minutes: the window reaches back before the traffic, and this side's first outcomes land a minute late.
    expect(replayNoData(minutes([12, 0], [30, 50]), minutes([10, 0], [32, 30]), 0).transitions).toEqual([]);
  });

  it("needs the other side in every minute of the window: a journey it counts only now and then is no reference", () => {
    const everyOtherMinute = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? 30 : 0));
    expect(replayNoData(minutes([10, 50], [20, 0]), everyOtherMinute, 0).transitions).toEqual([]);
  });

  it("judges the last window's requests on both sides", () => {
    expect(replayNoData(minutes([10, 50], [7, 0]), minutes([17, 30]), 0)).toMatchObject({ requests: 0, againstRequests: 150, alert: { state: "firing" } });
  });

  it("belongs to the SLOs whose journey the other side counts too", () => {
    const slos = [
      { journey: "clinician/record-diagnosis", source: "server" as const },
      { journey: "clinician/record-diagnosis", source: "client" as const },
      { journey: "clinician/prescribe", source: "server" as const },
    ];
    expect(noDataSides(slos)).toEqual(["client", "server", null]);
  });

  it("is evaluated with the SLO's tiers, its transitions among theirs, and notified as PimLabSliNoData", () => {
    const slo = availabilitySlo({ noDataAgainst: "client" });
    const server = minutes([30, 100], [10, 0]);
    const client = minutes([40, 60]);
    const { slos } = evaluateSlos([slo], () => ({ startMinute: 0, total: server, bad: minutes([40, 0]) }), {
      requestsOf: (journey, source) => (journey === slo.journey && source === "client" ? client : minutes([40, 0])),
    });
    expect(slos[0]!.noData).toEqual({ state: "firing", severity: "page", against: "client", requests: 0, againstRequests: 300 });
    expect(slos[0]!.transitions.map((t) => [t.tier, t.to])).toEqual([
      ["no-data", "pending"],
      ["no-data", "firing"],
    ]);
    const report = { evaluatedAt: "2026-12-07T10:00:00.000Z", slos: slos.map((s) => ({ ...slo, ...s })), groups: [] } as unknown as SloReport;
    const [notified] = alertChanges(null, report, new Map());
    expect(notified).toMatchObject({ status: "firing", labels: { alertname: "PimLabSliNoData", slo: slo.name, severity: "page", against: "client" } });
    // Without a reader of the other side, no SLO has one.
    expect(evaluateSlos([slo], () => ({ startMinute: 0, total: server, bad: minutes([40, 0]) })).slos[0]!.noData).toBeNull();
  });
});
