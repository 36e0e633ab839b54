// The exercises `npm test` plays, one per failure mode (ADR 0027), and how: each on a lab of its own
// started as `npm run lab` starts it, with nobody at the pager; each expected alert must fire within the
// exercise's time limit. A surge takes the machine's two cores, so it is played alone
// (test/alone/exercise-modes.test.ts); the others side by side, beside the browser tests
// (test/beside/exercise-modes.test.ts). The no-fault mode is the quiet lab's (test/first-in-line/).
import { type Exercise, type FailureMode, loadLabExercises } from "../../lib/exercises/exercise-catalog.ts";
import { type ExerciseVerdict, verdictTable } from "../../lib/exercises/exercise-verify.ts";
import { buildPortalIfStale } from "../../scripts/portal-build.ts";
import { verifyOnLabs } from "./exercise-labs.ts";
import { repoRoot } from "./test-labs.ts";

/** Per mode, the exercise whose alert fires soonest (issue 18's verify runs). */
export const PLAYED: Record<FailureMode, string> = {
  "slow or failing service": "clinic-evening",
  "crash loop": "claims-evening",
  hang: "records-afternoon",
  "shard database unavailable": "clinic-afternoon",
  "event backlog and dead letters": "records-evening",
  "misconfigured deployment": "release-evening",
  "observability blind spot": "clinic-dawn",
  "traffic surge": "records-noon",
};

/** Plays the chosen modes' exercises, `atOnce` labs at a time, and says each verdict. */
export async function playModes(which: (e: Exercise) => boolean, o: { atOnce: number; basePort: number }): Promise<ExerciseVerdict[]> {
  const catalog = loadLabExercises(repoRoot);
  const exercises = Object.values(PLAYED)
    .map((name) => catalog.find((e) => e.name === name)!)
    .filter(which);
  buildPortalIfStale(repoRoot, (line) => console.log(line)); // once, before labs start side by side
  const verdicts = await verifyOnLabs(exercises, { atOnce: o.atOnce, basePort: o.basePort, playsAlone: () => false, say: (line) => console.log(line) });
  console.log(`\n${verdictTable(verdicts)}\n`);
  return verdicts;
}
