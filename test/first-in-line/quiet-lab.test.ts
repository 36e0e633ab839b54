// A healthy lab is quiet. The lab started as `npm run lab` starts it (a fresh data directory, 2,000 seeded
// patients, the steady-demo traffic, no drill, no fault) plays the no-fault exercise quiet-tuesday for its
// ten minutes with nobody at the pager, and then: the exercise verified (no alert within its time limit), no
// dead letter, every SLO's budget left at 99 % or more, no tier pending or firing at any minute after the
// warm-up, the outbox backlog and the consumer lag back to 0 within 5 s of pausing traffic, and the read
// models equal to the shards' own counts. Its project is `first-in-line`: npm test runs it at normal
// priority with the browser tests and the exercises under nice 19 beside it (ADR 0031: it takes about 15 %
// of two cores, and what is niced only gets the rest), so that its latency SLOs measure the lab, not them.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { issueLabToken, labSigningKey } from "../../lib/auth/tokens.ts";
import { loadConfig } from "../../lib/config/index.ts";
import { openLabDatabases } from "../../lib/data/lab-databases.ts";
import { openSqlite } from "../../lib/data/sql-database.ts";
import { loadLabExercises } from "../../lib/exercises/exercise-catalog.ts";
import { httpVerifiedLab, verifyExercise } from "../../lib/exercises/exercise-verify.ts";
import { portEnv, wholeLabPorts } from "../support/lab-ports.ts";
import { readModelCounts, shardCounts } from "../support/shard-counts.ts";
import { repoRoot } from "../support/test-labs.ts";

const SOAK_MS = 10 * 60_000;
const NO_FAULT_EXERCISE = "quiet-tuesday";
const base = 5_300;
const ports = wholeLabPorts(base);

interface SloTier {
  tier: string;
  state: string;
}
interface Slo {
  name: string;
  budgetRemaining: number | null;
  tiers: SloTier[];
  noData: { state: string } | null;
  transitions: { tier: string; minute: number; to: string }[];
}

describe("a lab left to itself", () => {
  const dir = mkdtempSync(join(tmpdir(), "pimlab-quiet-"));
  const env: Record<string, string> = {
    PATH: process.env.PATH!,
    HOME: process.env.HOME!,
    NEXT_TELEMETRY_DISABLED: "1",
    LAB_DATA_DIR: dir,
    ...portEnv(ports),
  };
  let lab: ChildProcess | null = null;
  const output: string[] = [];
  afterAll(async () => {
    if (lab && lab.exitCode === null) {
      lab.kill("SIGTERM");
      await new Promise((r) => lab!.once("exit", r));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    "stays quiet for ten minutes of steady-demo traffic: no dead letter, no burning budget, no alert, read models equal to the shards",
    async () => {
      const config = loadConfig(env);
      const sre = await issueLabToken(
        labSigningKey(config.privacySecret),
        { userId: "usr-soak-sre", role: "sre", facilityId: null, patientId: null },
        { ttlSeconds: 3600 },
      );
      const get = async <T>(port: number, path: string): Promise<T> => {
        const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Bearer ${sre}` } });
        if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
        return (await res.json()) as T;
      };

      // As npm run lab starts it (the portal build current or made here).
      const child = spawn(process.execPath, ["--max-semi-space-size=1", "--import", "tsx", join(repoRoot, "scripts", "lab.ts")], {
        cwd: repoRoot,
        env: env as NodeJS.ProcessEnv,
        stdio: ["ignore", "pipe", "pipe"],
      });
      lab = child;
      child.stdout!.on("data", (b: Buffer) => output.push(b.toString()));
      child.stderr!.on("data", (b: Buffer) => output.push(b.toString()));
      const ready = Date.now() + 300_000;
      while (!/lab: ready in/.test(output.join(""))) {
        if (Date.now() > ready || child.exitCode !== null) throw new Error(`the lab did not start:\n${output.join("").slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 500));
      }

      // Counted traffic begins when the warm-up ends.
      type Traffic = { running: { profile: string } | null; warmingUp: unknown };
      for (const end = Date.now() + 240_000; ; await new Promise((r) => setTimeout(r, 1000))) {
        const t = await get<Traffic>(ports.simulator, "/_lab/traffic");
        if (t.running?.profile === "steady-demo" && t.warmingUp === null) break;
        if (Date.now() > end) throw new Error("the steady-demo traffic never started");
      }
      const countedFrom = Date.now();
      // The no-fault exercise plays over the soak: its own traffic (steady-demo, its seed) and its verdict.
      const exercise = loadLabExercises(repoRoot).find((e) => e.name === NO_FAULT_EXERCISE)!;
      expect(exercise.timeLimitSeconds * 1000).toBe(SOAK_MS);
      const instructor = await issueLabToken(
        labSigningKey(config.privacySecret),
        { userId: "usr-soak-instructor", role: "instructor", facilityId: null, patientId: null },
        { ttlSeconds: 3600 },
      );
      const verdict = verifyExercise(
        httpVerifiedLab({
          drillsUrl: `http://127.0.0.1:${ports.drills}`,
          gatewayUrl: `http://127.0.0.1:${ports.gateway}`,
          instructorToken: instructor,
          sreToken: sre,
        }),
        exercise,
        { pollMs: 30_000 },
      );
      verdict.catch(() => undefined); // awaited after the soak; a failure to start must not surface as unhandled first

      const sightings: string[] = [];
      let evaluations = 0;
      let deadLettersSeen = 0;
      const look = async () => {
        const report = await get<{ slos: Slo[] }>(ports.gateway, "/_lab/slos");
        evaluations++;
        for (const slo of report.slos) {
          for (const t of slo.tiers) if (t.state !== "inactive") sightings.push(`${new Date().toISOString()} ${slo.name} ${t.tier} ${t.state}`);
          // A side that stops counting while the other counts is an alert too: the lab must not blind itself.
          if (slo.noData && slo.noData.state !== "inactive") sightings.push(`${new Date().toISOString()} ${slo.name} no-data ${slo.noData.state}`);
        }
        deadLettersSeen = Math.max(deadLettersSeen, (await get<{ deadLetters: number }>(ports.projector, "/_lab/events/status")).deadLetters);
        return report;
      };
      while (Date.now() - countedFrom < SOAK_MS) {
        await look();
        await new Promise((r) => setTimeout(r, 20_000));
      }
      const last = await look();
      const verified = await verdict;
      // Every minute the engine evaluated since the warm-up, not only the ones this test looked at.
      const transitions = last.slos.flatMap((s) =>
        s.transitions
          .filter((t) => t.minute * 60_000 >= countedFrom - 60_000 && t.to !== "inactive")
          .map((t) => `${s.name} ${t.tier} -> ${t.to} at ${new Date(t.minute * 60_000).toISOString()}`),
      );
      const budgets = last.slos.map((s) => ({ name: s.name, left: s.budgetRemaining ?? 1 }));
      // What spent a budget, minute by minute, so that a failure here says where to look.
      const spent: string[] = [];
      for (const b of budgets.filter((x) => x.left < 0.99)) {
        const history = await get<{ history: { points: { at: string; requests: number; bad: number }[] } }>(
          ports.gateway,
          `/_lab/slos/${b.name}/history?minutes=30`,
        );
        const minutes = history.history.points.filter((p) => p.bad > 0).map((p) => `${p.at.slice(11, 16)} ${p.bad} of ${p.requests}`);
        spent.push(`${b.name} ${(b.left * 100).toFixed(2)} % left; bad minutes: ${minutes.join(", ") || "none in the last 30"}`);
      }

      // Traffic paused: the pipeline drains within 5 s.
      const paused = await fetch(`http://127.0.0.1:${ports.simulator}/_lab/traffic`, { method: "DELETE", headers: { authorization: `Bearer ${sre}` } });
      expect(paused.status).toBe(200);
      const pausedAt = Date.now();
      type Status = { outboxBacklog: { unpublished: number }[]; projector: { held: number; lag: { lag: number }[] }; deadLetters: number };
      let drained: Status | null = null;
      while (Date.now() - pausedAt < 5_000) {
        const s = await get<Status>(ports.projector, "/_lab/events/status");
        if (s.outboxBacklog.every((b) => b.unpublished === 0) && s.projector.lag.every((p) => p.lag === 0) && s.projector.held === 0) {
          drained = s;
          break;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      const drainMs = Date.now() - pausedAt;

      const lab_ = await openLabDatabases(config);
      const models = openSqlite(join(dir, "read-models.db"), "read models (soak)");
      const [onShards, inModels] = await Promise.all([shardCounts(lab_.shards), readModelCounts(models)]);
      await Promise.all([lab_.close(), models.close()]);

      const lowest = budgets.reduce((a, b) => (b.left < a.left ? b : a));
      console.log(
        `quiet lab: ${Math.round((Date.now() - countedFrom) / 60_000)} min counted, ${evaluations} evaluations looked at; lowest budget left ${(lowest.left * 100).toFixed(3)} % (${lowest.name}); ` +
          `dead letters ${deadLettersSeen}; drained ${drainMs} ms after the pause; ${inModels.timeline.patients} patients, ${inModels.pipeline.reduce((a, p) => a + p.claims, 0)} claims in the read models`,
      );
      expect(verified, `the no-fault exercise ${NO_FAULT_EXERCISE} played with nobody at the pager`).toMatchObject({ ok: true, firstAlertAfterSeconds: null });
      expect(sightings, "tiers seen pending or firing after the warm-up").toEqual([]);
      expect(transitions, "alert transitions after the warm-up").toEqual([]);
      expect(spent, "SLOs with less than 99 % of their budget left").toEqual([]);
      expect(deadLettersSeen).toBe(0);
      expect(drained, `outbox backlog, consumer lag and waiting room empty within 5 s of pausing traffic (${drainMs} ms)`).not.toBeNull();
      expect(drained!.deadLetters).toBe(0);
      expect(inModels).toEqual(onShards);
    },
    SOAK_MS + 15 * 60_000,
  );
});
