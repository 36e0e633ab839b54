// Labs to play exercises on, as `npm run lab` starts them: each in a data directory of its own, on ports of
// its own (slot N: base + 20 N), reached as the instructor and an SRE. `npm run exercises:verify` and the
// per-mode exercise test both use them; no test framework is imported here.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { issueLabToken, labSigningKey } from "../../lib/auth/tokens.ts";
import { loadConfig } from "../../lib/config/index.ts";
import { LabError } from "../../lib/errors/index.ts";
import { type Exercise, describeEntity } from "../../lib/exercises/exercise-catalog.ts";
import { type ExerciseVerdict, type VerifiedLab, httpVerifiedLab, verifyExercise } from "../../lib/exercises/exercise-verify.ts";
import { NICED_LAB_READY_SECONDS, portEnv, wholeLabPorts } from "./lab-ports.ts";
import { repoRoot } from "./test-labs.ts";

export interface ExerciseLab {
  lab: VerifiedLab;
  /** The lab's environment (its data directory and ports): a command run with it reaches this lab. */
  env: Record<string, string>;
  stop: () => Promise<void>;
}

/** Starts a lab in `slot` and resolves once it says it is ready (11 minutes at most). */
export async function startExerciseLab(name: string, slot: number, basePort: number, extraEnv: Record<string, string> = {}): Promise<ExerciseLab> {
  const dir = mkdtempSync(join(tmpdir(), `pimlab-exercise-${name}-`));
  const ports = wholeLabPorts(basePort + slot * 20);
  const env: Record<string, string> = {
    PATH: process.env.PATH!,
    HOME: process.env.HOME!,
    NEXT_TELEMETRY_DISABLED: "1",
    LAB_DATA_DIR: dir,
    // Labs start beside others here, and in npm test niced beside the quiet lab while it seeds.
    LAB_READY_TIMEOUT_SECONDS: String(NICED_LAB_READY_SECONDS),
    ...portEnv(ports),
    ...extraEnv,
  };
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
  for (const until = Date.now() + (NICED_LAB_READY_SECONDS + 60) * 1000; !/lab: ready in/.test(output.join("")); await new Promise((r) => setTimeout(r, 500))) {
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
  return { lab, env, stop };
}

/**
 * Plays the exercises `atOnce` labs at a time, then each one that `playsAlone` (lib/exercises) on its own,
 * and gives their verdicts in the order given.
 */
export async function verifyOnLabs(
  exercises: readonly Exercise[],
  o: { atOnce: number; basePort: number; playsAlone: (e: Exercise) => boolean; say?: (line: string) => void },
): Promise<ExerciseVerdict[]> {
  const say = o.say ?? (() => undefined);
  const verdicts = new Map<string, ExerciseVerdict>();
  let n = 0;
  // Three labs start at a time: with six seeding and compiling at once, or a fifth starting beside four that
  // run traffic, a projector missed the lab's 60 s to be ready (2026-12-04).
  const starting = gate(3);
  const one = async (exercise: Exercise, slot: number) => {
    say(`${++n}/${exercises.length} ${exercise.name} (${exercise.truth.faultClass}, limit ${exercise.timeLimitSeconds} s): starting its lab`);
    const began = Date.now();
    const started = await starting(() => startExerciseLab(exercise.name, slot, o.basePort)).catch((err: unknown) => err as Error);
    if (started instanceof Error) {
      say(`  ${exercise.name}: FAILED: ${started.message}`);
      verdicts.set(exercise.name, failedVerdict(exercise, started.message, began));
      return;
    }
    const { lab, stop } = started;
    try {
      // A call that failed fails this exercise's verdict, not the lanes beside it: they play on and stop
      // their labs (a rejection here would leave them running after the test).
      const verdict = await verifyExercise(lab, exercise, { onProgress: (line) => say(`  ${line}`) }).catch((err: unknown) =>
        failedVerdict(exercise, (err as Error).message, began),
      );
      say(
        `  ${exercise.name}: ${verdict.ok ? "ok" : `FAILED: ${verdict.problem}`}; first alert ${verdict.firstAlertAfterSeconds ?? "-"} s after the fault; ${verdict.elapsedSeconds} s`,
      );
      verdicts.set(exercise.name, verdict);
    } finally {
      await stop();
    }
  };
  const queue = exercises.filter((e) => !o.playsAlone(e));
  await Promise.all(
    Array.from({ length: Math.min(o.atOnce, queue.length) }, async (_unused, slot) => {
      for (let next = queue.shift(); next; next = queue.shift()) await one(next, slot);
    }),
  );
  for (const exercise of exercises.filter(o.playsAlone)) await one(exercise, 0);
  return exercises.map((e) => verdicts.get(e.name)!);
}

/** The verdict of an exercise that could not be played to its end, saying why. */
function failedVerdict(exercise: Exercise, problem: string, began: number): ExerciseVerdict {
  return {
    exercise: exercise.name,
    faultClass: exercise.truth.faultClass,
    entity: describeEntity(exercise.truth.entity),
    ok: false,
    problem,
    launchedAt: null,
    expected: exercise.truth.expectedAlerts.map((a) => ({ slo: a.slo, tier: a.tier, afterSeconds: null, seenAfterSeconds: null })),
    others: [],
    firstAlertAfterSeconds: null,
    elapsedSeconds: Math.round((Date.now() - began) / 1000),
  };
}

/** At most `n` of the calls it wraps run at once; the others wait their turn, first come first served. */
export function gate(n: number): <T>(run: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (run) => {
    if (running >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await run();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}
