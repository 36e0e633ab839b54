// npm run exercises:verify [-- --exercises a,b] [--at-once N] [--json file]: plays every catalog exercise (or
// those named) on a lab of its own, started as `npm run lab` starts it, with nobody at the pager, and prints
// each one's time from its fault's launch to its first alert. It fails (exit 1) when an expected alert does
// not fire within the exercise's time limit, or a no-fault exercise's lab alerts at all. Exercises with a
// fault may share the machine (--at-once, default 1: their faults fire whatever else runs); a no-fault one
// always runs alone, since its latency SLOs would otherwise measure the other labs.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { issueLabToken, labSigningKey } from "../lib/auth/tokens.ts";
import { loadConfig } from "../lib/config/index.ts";
import { LabError } from "../lib/errors/index.ts";
import { type Exercise, isNoFault, loadLabExercises } from "../lib/exercises/exercise-catalog.ts";
import { type ExerciseVerdict, type VerifiedLab, httpVerifiedLab, verifyExercise } from "../lib/exercises/exercise-verify.ts";
import { portEnv, wholeLabPorts } from "../test/support/lab-ports.ts";
import { repoRoot, runCommand } from "./cli.ts";
import { buildPortalIfStale } from "./portal-build.ts";

const BASE_PORT = 5_600;

/** A lab as `npm run lab` starts it, in a data directory of its own, on ports of its own. */
async function startLab(name: string, slot: number): Promise<{ lab: VerifiedLab; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), `pimlab-verify-${name}-`));
  const ports = wholeLabPorts(BASE_PORT + slot * 20);
  const env: Record<string, string> = { PATH: process.env.PATH!, HOME: process.env.HOME!, NEXT_TELEMETRY_DISABLED: "1", LAB_DATA_DIR: dir, ...portEnv(ports) };
  const config = loadConfig(env);
  const key = labSigningKey(config.privacySecret);
  const actor = (role: "instructor" | "sre") => ({ userId: `usr-verify-${role}`, role, facilityId: null, patientId: null });
  const [instructor, sre] = await Promise.all([
    issueLabToken(key, actor("instructor"), { ttlSeconds: 7200 }),
    issueLabToken(key, actor("sre"), { ttlSeconds: 7200 }),
  ]);
  const output: string[] = [];
  const child: ChildProcess = spawn(process.execPath, ["--max-semi-space-size=1", "--import", "tsx", join(repoRoot, "scripts", "lab.ts")], {
    cwd: repoRoot,
    env: env as NodeJS.ProcessEnv, // as npm run lab's, less the caller's own variables
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (b: Buffer) => output.push(b.toString()));
  child.stderr!.on("data", (b: Buffer) => output.push(b.toString()));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (const until = Date.now() + 300_000; !/lab: ready in/.test(output.join("")); await new Promise((r) => setTimeout(r, 500))) {
    if (Date.now() > until || child.exitCode !== null) {
      await stop();
      throw new LabError("setup", `the lab for ${name} did not start: ${output.join("").slice(-1500)}`);
    }
  }
  const lab = httpVerifiedLab({
    drillsUrl: `http://127.0.0.1:${ports.drills}`,
    gatewayUrl: `http://127.0.0.1:${ports.gateway}`,
    instructorToken: instructor,
    sreToken: sre,
  });
  return { lab, stop };
}

function table(verdicts: readonly ExerciseVerdict[]): string {
  const rows = verdicts.map((v) => [
    v.exercise,
    v.faultClass,
    v.entity,
    v.expected.length === 0
      ? "none"
      : v.expected.map((e) => `${e.slo} ${e.tier} ${e.afterSeconds === null ? "-" : `${e.afterSeconds} s (seen ${e.seenAfterSeconds} s)`}`).join("; "),
    v.firstAlertAfterSeconds === null ? "-" : `${v.firstAlertAfterSeconds} s`,
    v.ok ? "ok" : `FAILED: ${v.problem}`,
  ]);
  const head = ["exercise", "class", "entity", "expected alerts: fired after the fault (a look first saw it)", "first alert", "verdict"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [head, ...rows]
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** Plays one exercise on a lab of its own in `slot` (its ports), printing its progress. */
async function verifyOne(exercise: Exercise, slot: number, label: string): Promise<ExerciseVerdict> {
  console.log(`exercises:verify: ${label} ${exercise.name} (${exercise.truth.faultClass}, limit ${exercise.timeLimitSeconds} s): starting its lab`);
  const { lab, stop } = await startLab(exercise.name, slot);
  try {
    const verdict = await verifyExercise(lab, exercise, { onProgress: (line) => console.log(`  ${line}`) });
    console.log(
      `  ${exercise.name}: ${verdict.ok ? "ok" : `FAILED: ${verdict.problem}`}; first alert ${verdict.firstAlertAfterSeconds ?? "-"} s after the fault; ${verdict.elapsedSeconds} s`,
    );
    return verdict;
  } finally {
    await stop();
  }
}

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
  const verdicts = new Map<string, ExerciseVerdict>();
  const began = Date.now();
  let n = 0;
  const label = () => `${++n}/${chosen.length}`;
  // The exercises with a fault, `atOnce` labs at a time; then each no-fault one alone.
  const queue = chosen.filter((e) => !isNoFault(e));
  await Promise.all(
    Array.from({ length: Math.min(atOnce, queue.length) }, async (_unused, slot) => {
      for (let next = queue.shift(); next; next = queue.shift()) verdicts.set(next.name, await verifyOne(next, slot, label()));
    }),
  );
  for (const exercise of chosen.filter(isNoFault)) verdicts.set(exercise.name, await verifyOne(exercise, 0, label()));
  const inOrder = chosen.map((e) => verdicts.get(e.name)!);
  console.log(`\n${table(inOrder)}\n`);
  const failed = inOrder.filter((v) => !v.ok).length;
  console.log(`exercises:verify: ${inOrder.length - failed} of ${inOrder.length} exercises verified in ${Math.round((Date.now() - began) / 60_000)} min`);
  if (values.json) writeFileSync(values.json, `${JSON.stringify({ verdicts: inOrder }, null, 2)}\n`);
  if (failed > 0) process.exitCode = 1;
});
