import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSloDirectory } from "../slo/load-slos.ts";
import { loadTrafficProfileDirectory } from "../simulator/traffic-profile.ts";
import { agentResult, agentResultsTable, agentTotals } from "./agent-results.ts";
import { loadExerciseDirectory } from "./exercise-catalog.ts";
import type { InstructorView } from "./exercise-run.ts";
import type { ExerciseScore } from "./exercise-score.ts";

const root = join(import.meta.dirname, "..", "..");
const catalog = loadExerciseDirectory(
  join(root, "exercises"),
  {
    slos: new Set(loadSloDirectory(join(root, "slo"), root).map((s) => s.name)),
    profiles: new Set(loadTrafficProfileDirectory(join(root, "traffic-profiles"), root).map((p) => p.name)),
  },
  root,
);
const named = (n: string) => catalog.find((e) => e.name === n)!;

const score = (over: Partial<ExerciseScore> = {}): ExerciseScore => ({
  points: 0,
  acknowledged: { at: null, afterSeconds: null },
  falseAlarm: false,
  diagnosis: { entity: null, faultClass: null, entityRight: false, classRight: false, rightAfterSeconds: null },
  mitigation: { lever: null, at: null, afterSeconds: null, withinSlo: false, recoveredAt: null },
  wrongTargetActions: [],
  collateralMinutes: 0,
  hints: 0,
  summary: "",
  ...over,
});
const run = (acts: InstructorView["acts"], s: ExerciseScore) => ({ id: "exr-1", acts, score: s, status: "ended" }) as unknown as InstructorView;

describe("the agents' benchmark results", () => {
  it("scores an agent that did nothing: no detection on a fault, and right on a healthy lab", () => {
    const fault = agentResult(named("clinic-morning"), run([], score({ points: 0 })), { total: 3, refused: 0 }, { elapsedSeconds: 540 });
    expect(fault).toMatchObject({ detected: false, entityRight: false, mitigated: false, quietRight: null, toolCalls: 3 });
    const quiet = agentResult(named("quiet-tuesday"), run([], score({ points: 60 })), { total: 1, refused: 0 }, { elapsedSeconds: 540 });
    expect(quiet).toMatchObject({ noFault: true, detected: false, quietRight: true });
  });

  it("scores an agent that found and fixed it, and counts a false alarm on a healthy lab", () => {
    const acts = [
      { type: "declare-incident", summary: "records slow", at: "2026-12-07T10:02:00Z", by: "usr-oncall" },
      { type: "diagnose", entity: { kind: "service", service: "clinical" }, faultClass: "latency", notes: "", at: "2026-12-07T10:02:10Z", by: "usr-oncall" },
    ] as InstructorView["acts"];
    const fixed = score({
      points: 100,
      diagnosis: { entity: { kind: "service", service: "clinical" }, faultClass: "latency", entityRight: true, classRight: true, rightAfterSeconds: 70 },
      mitigation: { lever: { action: "roll-back-config", service: "clinical" }, at: "x", afterSeconds: 80, withinSlo: true, recoveredAt: "y" },
    });
    const found = agentResult(named("clinic-morning"), run(acts, fixed), { total: 30, refused: 1 }, { elapsedSeconds: 400 });
    expect(found).toMatchObject({ detected: true, entityRight: true, classRight: true, mitigated: true, secondsToMitigation: 80 });
    const alarm = agentResult(named("quiet-friday"), run(acts.slice(0, 1), score()), { total: 5, refused: 0 }, { elapsedSeconds: 300 });
    expect(alarm).toMatchObject({ detected: true, quietRight: false });
    const totals = agentTotals([found, alarm]);
    expect(totals).toMatchObject({
      faults: 1,
      detected: 1,
      mitigated: 1,
      noFault: 1,
      falseAlarms: 1,
      toolCalls: 35,
      refusedCalls: 1,
      medianSecondsToMitigation: 80,
    });
    const table = agentResultsTable("scripted", [found, alarm]);
    expect(table).toContain("FALSE ALARM");
    expect(table).toContain("mitigated 1/1 (100 %)");
  });

  it("shows an exercise it could not play as such, counted in no total", () => {
    const lost = agentResult(named("clinic-night"), null, { total: 0, refused: 0 }, { elapsedSeconds: 60, problem: "the lab did not start" });
    expect(lost).toMatchObject({ problem: "the lab did not start", points: null, detected: false });
    expect(agentResultsTable("x", [lost])).toContain("NOT PLAYED: the lab did not start");
  });
});
