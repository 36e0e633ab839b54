// npm run exercises:verify [-- --exercises a,b] [--at-once N] [--json file]: plays every catalog exercise (or
// those named) on a lab of its own, started as `npm run lab` starts it, with nobody at the pager, and prints
// each one's time from its fault's launch to its first alert. It fails (exit 1) when an expected alert does
// not fire within the exercise's time limit, or a no-fault exercise's lab alerts at all. Exercises with a
// fault may share the machine (--at-once, default 1: their faults fire whatever else runs); a no-fault one
// and a surge always run alone (playsAlone in lib/exercises/exercise-catalog.ts).
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { LabError } from "../lib/errors/index.ts";
import { type Exercise, loadLabExercises, playsAlone } from "../lib/exercises/exercise-catalog.ts";
import { verdictTable } from "../lib/exercises/exercise-verify.ts";
import { verifyOnLabs } from "../test/support/exercise-labs.ts";
import { repoRoot, runCommand } from "./cli.ts";
import { buildPortalIfStale } from "./portal-build.ts";

const BASE_PORT = 5_600;

runCommand("exercises:verify", async () => {
  const { values } = parseArgs({ options: { exercises: { type: "string" }, "at-once": { type: "string", default: "1" }, json: { type: "string" } } });
  const atOnce = Number(values["at-once"]);
  if (!Number.isInteger(atOnce) || atOnce < 1 || atOnce > 4)
    throw new LabError("invalid", "--at-once must be a whole number from 1 to 4", { field: "--at-once" });
  const catalog = loadLabExercises(repoRoot);
  const names = values.exercises?.split(",").map((n) => n.trim());
  const unknown = names?.filter((n) => !catalog.some((e) => e.name === n)) ?? [];
  if (unknown.length > 0)
    throw new LabError("invalid", `no exercise ${unknown.join(", ")} in exercises/ (${catalog.map((e) => e.name).join(", ")})`, { field: "--exercises" });
  const chosen: Exercise[] = names ? catalog.filter((e) => names.includes(e.name)) : catalog;
  // Built once here: labs starting side by side would each build a stale portal into the same directory.
  buildPortalIfStale(repoRoot, (line) => console.log(line));
  const began = Date.now();
  const verdicts = await verifyOnLabs(chosen, { atOnce, basePort: BASE_PORT, playsAlone, say: (line) => console.log(`exercises:verify: ${line}`) });
  console.log(`\n${verdictTable(verdicts)}\n`);
  const failed = verdicts.filter((v) => !v.ok).length;
  console.log(`exercises:verify: ${verdicts.length - failed} of ${verdicts.length} exercises verified in ${Math.round((Date.now() - began) / 60_000)} min`);
  if (values.json) writeFileSync(values.json, `${JSON.stringify({ verdicts }, null, 2)}\n`);
  if (failed > 0) process.exitCode = 1;
});
