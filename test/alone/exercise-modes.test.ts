// One exercise per failure mode, played on the real lab: each on a lab of its own started as `npm run lab`
// starts it, with nobody at the pager, and each expected alert must fire within the exercise's time limit.
// The no-fault mode is the quiet-lab test's (it needs the machine alone); the whole catalog is
// `npm run exercises:verify`'s. Several labs share the machine: a fault's signal must show through that.
import { describe, expect, it } from "vitest";
import { FAILURE_MODES, type FailureMode, failureModeOf, isNoFault, loadLabExercises } from "../../lib/exercises/exercise-catalog.ts";
import { verdictTable } from "../../lib/exercises/exercise-verify.ts";
import { buildPortalIfStale } from "../../scripts/portal-build.ts";
import { verifyOnLabs } from "../support/exercise-labs.ts";
import { repoRoot } from "../support/test-labs.ts";

/** Per mode, the exercise whose alert fires soonest (issue 18's verify runs). */
const PLAYED: Partial<Record<FailureMode, string>> = {
  "slow or failing service": "clinic-evening",
  "crash loop": "claims-evening",
  hang: "records-afternoon",
  "shard database unavailable": "clinic-afternoon",
  "event backlog and dead letters": "records-evening",
  "misconfigured deployment": "release-evening",
};
// Three at a time: a fifth lab starting beside four that run traffic missed its 60 s to be ready.
const AT_ONCE = Number(process.env.LAB_TEST_EXERCISES_AT_ONCE ?? 3);
const BASE_PORT = 5_700;

describe("one exercise per failure mode on the real lab", () => {
  const catalog = loadLabExercises(repoRoot);

  it("plays an exercise of every failure mode the catalog covers", () => {
    const covered = new Set(catalog.map(failureModeOf).filter((m) => m !== null));
    expect(Object.keys(PLAYED).sort()).toEqual([...covered].sort());
    for (const [mode, name] of Object.entries(PLAYED)) expect(failureModeOf(catalog.find((e) => e.name === name)!), name).toBe(mode);
    // What seed 000 names and no exercise rehearses yet, for the record.
    const missing = Object.keys(FAILURE_MODES).filter((m) => !covered.has(m as FailureMode));
    if (missing.length > 0) console.log(`failure modes without an exercise yet: ${missing.join(", ")}`);
  });

  it(
    "fires each played exercise's expected alerts within its time limit",
    async () => {
      buildPortalIfStale(repoRoot, (line) => console.log(line)); // once, before labs start side by side
      const exercises = Object.values(PLAYED).map((name) => catalog.find((e) => e.name === name)!);
      const verdicts = await verifyOnLabs(exercises, { atOnce: AT_ONCE, basePort: BASE_PORT, isNoFault, say: (line) => console.log(line) });
      console.log(`\n${verdictTable(verdicts)}\n`);
      expect(verdicts.filter((v) => !v.ok).map((v) => `${v.exercise}: ${v.problem}`)).toEqual([]);
    },
    40 * 60_000,
  );
});
