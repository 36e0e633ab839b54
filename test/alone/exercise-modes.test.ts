// One exercise per failure mode on the real lab (test/support/exercise-modes.ts): that every mode the
// catalog covers is played, and the surge, whose fault takes the whole machine, played alone here; the
// other modes are played beside the browser tests (test/beside/exercise-modes.test.ts).
import { describe, expect, it } from "vitest";
import { FAILURE_MODES, type FailureMode, failureModeOf, loadLabExercises, playsAlone } from "../../lib/exercises/exercise-catalog.ts";
import { PLAYED, playModes } from "../support/exercise-modes.ts";
import { repoRoot } from "../support/test-labs.ts";

describe("one exercise per failure mode on the real lab", () => {
  const catalog = loadLabExercises(repoRoot);

  it("plays an exercise of every failure mode of seed 000, and the catalog covers each", () => {
    const covered = new Set(catalog.map(failureModeOf).filter((m) => m !== null));
    expect([...covered].sort()).toEqual(Object.keys(FAILURE_MODES).sort());
    for (const [mode, name] of Object.entries(PLAYED)) expect(failureModeOf(catalog.find((e) => e.name === name)!), name).toBe(mode as FailureMode);
  });

  it(
    "fires the surge's expected alerts within its time limit, on a lab alone on the machine",
    async () => {
      const verdicts = await playModes(playsAlone, { atOnce: 1, basePort: 5_700 });
      expect(verdicts.length).toBeGreaterThan(0);
      expect(verdicts.filter((v) => !v.ok).map((v) => `${v.exercise}: ${v.problem}`)).toEqual([]);
    },
    25 * 60_000,
  );
});
