// Every failure mode of the catalog shows in the signals an on-call person has: one exercise per mode, each
// played on a lab of its own with nobody at the pager, its expected alerts firing within its time limit
// (npm run exercises:verify plays them all, and test/alone/quiet-lab.test.ts the no-fault one). Four labs
// at a time (steady-demo traffic, 120 patients each): one at a time would take half an hour. They run beside
// the integration tests (vitest project "beside"): the alerts of a fault fire whatever else runs.
import { afterAll, describe, expect, it } from "vitest";
import { loadLabExercises } from "../../lib/exercises/exercise-catalog.ts";
import { type ExerciseVerdict, httpVerifiedLab, verifyExercise } from "../../lib/exercises/exercise-verify.ts";
import { type DrillLab, startDrillLab } from "../support/drill-lab.ts";
import { repoRoot } from "../support/test-labs.ts";

/** One exercise per failure mode of seed 000 that the catalog covers, with its mode's name. */
const BY_MODE: [mode: string, exercise: string][] = [
  ["a service failing a share of its requests", "claims-afternoon"],
  ["a service slowing down", "clinic-morning"],
  ["a process crash loop", "records-morning"],
  ["a hang", "monday-morning"],
  ["a shard's database unavailable", "clinic-afternoon"],
  ["an event backlog", "records-evening"],
  ["a misconfigured deployment", "release-day"],
  ["a traffic surge", "flu-season"],
];
const AT_ONCE = 4;

const catalog = loadLabExercises(repoRoot);
const labs: DrillLab[] = [];
afterAll(async () => {
  await Promise.all(labs.map((l) => l.stop()));
});

// A slot for each lab under way; the others wait their turn.
let free = AT_ONCE;
const waiting: (() => void)[] = [];
async function inSlot<T>(work: () => Promise<T>): Promise<T> {
  if (free === 0) await new Promise<void>((r) => waiting.push(r));
  else free--;
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else free++;
  }
}

describe.concurrent("each failure mode of the catalog, played with nobody at the pager", () => {
  for (const [i, [mode, name]] of BY_MODE.entries()) {
    it(`${mode} (${name}): its expected alerts fire within its time limit`, async () => {
      const exercise = catalog.find((e) => e.name === name)!;
      const verdict: ExerciseVerdict = await inSlot(async () => {
        const t = await startDrillLab(`alerts-${name}`, 11_000 + (process.pid % 40) * 70 + i * 10); // below the ephemeral ports
        labs.push(t);
        try {
          return await verifyExercise(
            httpVerifiedLab({
              drillsUrl: `http://127.0.0.1:${t.ports.drills}`,
              gatewayUrl: `http://127.0.0.1:${t.ports.gateway}`,
              instructorToken: t.tokens.instructor,
              sreToken: t.tokens.sre,
            }),
            exercise,
          );
        } finally {
          await t.stop();
          labs.splice(labs.indexOf(t), 1);
        }
      });
      console.log(
        `${name}: ${verdict.expected.map((e) => `${e.slo} ${e.tier} after ${e.afterSeconds ?? "-"} s`).join(", ")}${
          verdict.others.length > 0 ? `; also ${verdict.others.map((o) => `${o.slo} ${o.tier} after ${o.afterSeconds} s`).join(", ")}` : ""
        }`,
      );
      expect(verdict, verdict.problem ?? "").toMatchObject({ ok: true });
    }, 3_600_000);
  }
});
