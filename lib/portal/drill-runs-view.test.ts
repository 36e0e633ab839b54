import { describe, expect, it } from "vitest";
import type { DrillRun } from "../drills/drill-runs.ts";
import { formatSeconds, liveRuns, runHistory, targetsOf, timeLeft } from "./drill-runs-view.ts";

const NOW = Date.parse("2030-01-01T12:00:00Z");
const at = (offsetSeconds: number) => new Date(NOW + offsetSeconds * 1000).toISOString();

function run(id: string, over: Partial<DrillRun>): DrillRun {
  return {
    id,
    drill: "service-latency",
    title: "Service latency",
    status: "completed",
    params: {},
    durationSeconds: 60,
    rollback: "always",
    abortWhen: [],
    schedule: null,
    radius: { services: ["clinical"], shards: "all", personas: "all" },
    startedBy: "usr-sre",
    requestId: "req-1",
    traceId: "t".repeat(32),
    scheduledFor: null,
    startedAt: at(-100),
    endsAt: at(-40),
    deadlineAt: at(-35),
    endedAt: at(-40),
    abortReason: null,
    kept: false,
    steps: [
      {
        description: "add latency",
        action: { type: "set-faults", service: "clinical", rules: [] },
        target: null,
        appliedAt: null,
        revertedAt: null,
        error: null,
        applied: null,
      },
    ],
    ...over,
  };
}

describe("how the portal shows drill runs", () => {
  const running = run("drl-running", { status: "running", startedAt: at(-10), endsAt: at(65), endedAt: null });
  const scheduled = run("drl-scheduled", { status: "scheduled", startedAt: null, scheduledFor: at(30), endsAt: null, endedAt: null });
  const kept = run("drl-kept", { kept: true, rollback: "on-deviation", startedAt: at(-200), deadlineAt: at(3600) });
  const expired = run("drl-expired", { kept: true, rollback: "on-deviation", startedAt: at(-5000), deadlineAt: at(-1) });
  const aborted = run("drl-aborted", { status: "aborted", startedAt: at(-50), abortReason: "aborted by usr-sre" });

  it("counts running, scheduled and kept-until-deadline runs as live, and nothing else", () => {
    expect(liveRuns([running, scheduled, kept, expired, aborted], NOW).map((r) => [r.id, r.phase])).toEqual([
      ["drl-running", "running"],
      ["drl-scheduled", "scheduled"],
      ["drl-kept", "kept"],
    ]);
  });

  it("says what is left: until the end, the start, or the kept change's deadline", () => {
    expect([timeLeft(running, NOW), timeLeft(scheduled, NOW), timeLeft(kept, NOW), timeLeft(aborted, NOW)]).toEqual([
      "1 min 5 s left",
      "starts in 30 s",
      "kept for 1 h more",
      "ended",
    ]);
  });

  it("keeps the history to ended runs, newest first, at most the limit", () => {
    expect(runHistory([expired, running, aborted, kept, scheduled], 2).map((r) => r.id)).toEqual(["drl-aborted", "drl-kept"]);
  });

  it("names a step's target once applied, else the process its action acts on", () => {
    expect(targetsOf(running)).toEqual(["clinical"]);
    expect(
      targetsOf({
        steps: [
          { ...running.steps[0]!, target: "billing" },
          { ...running.steps[0]!, action: { type: "pause-process", process: "gateway" } },
        ],
      }),
    ).toEqual(["billing", "gateway"]);
  });

  it("writes durations in hours, minutes and seconds", () => {
    expect([0, 5, 60, 75, 3600, 3725].map(formatSeconds)).toEqual(["0 s", "5 s", "1 min", "1 min 15 s", "1 h", "1 h 2 min 5 s"]);
  });
});
