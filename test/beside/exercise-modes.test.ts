// One exercise per failure mode on the real lab, but the surge (test/alone/exercise-modes.test.ts): each on
// a lab of its own, four at a time, niced beside the quiet lab and the browser tests (scripts/test-all.sh,
// ADR 0031). Their faults must show through that load, as a real fault shows through a busy day.
import { describe, expect, it } from "vitest";
import { playsAlone } from "../../lib/exercises/exercise-catalog.ts";
import { playModes } from "../support/exercise-modes.ts";

// Four at a time: two rounds for the seven modes. Labs start three at a time (test/support/exercise-labs.ts).
const AT_ONCE = Number(process.env.LAB_TEST_EXERCISES_AT_ONCE ?? 4);

describe("one exercise per failure mode on the real lab, side by side", () => {
  it(
    "fires each played exercise's expected alerts within its time limit",
    async () => {
      const verdicts = await playModes((e) => !playsAlone(e), { atOnce: AT_ONCE, basePort: 5_700 });
      expect(verdicts.length).toBe(7);
      expect(verdicts.filter((v) => !v.ok).map((v) => `${v.exercise}: ${v.problem}`)).toEqual([]);
    },
    40 * 60_000,
  );
});
