// npm run bench:agents -- --agent "<command>" [--exercises a,b] [--seed N] [--at-once N] [--minutes M] [--max-calls N]
// Scores an agent on call over the exercise catalog (ADR 0032). Each exercise is played on a lab of its own,
// started as `npm run lab` starts it: the harness starts the exercise as the instructor, then the agent's
// command (through sh, in the repository, with the lab's environment and LAB_MCP_COMMAND: the argv of the
// lab's MCP server over stdio as the on-call persona, with writes and the step budget). The run ends when
// the agent resolves it and its score cannot change any more (the conductor's rule), or when the agent stops
// without resolving it, or at the time budget: then the harness ends it. The agent is stopped. The score
// comes from the conductor, the agent's calls from the audit, whose record of
// the run is kept with its digest (`--verify DIR` checks it again). Results: a table on stdout and
// <LAB_DATA_DIR>/agent-bench/<run>/results.json, which the portal's leaderboard reads.
//   --agent scripted | do-nothing | "<command>"; --at-once (default 4) labs at a time, the surges first (two at
//   a time, alone), the healthy ones last;
//   --minutes: each exercise's time budget (default 9, at most its limit).
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../lib/config/index.ts";
import { openLabDatabases } from "../lib/data/lab-databases.ts";
import { LabError } from "../lib/errors/index.ts";
import { type AgentExerciseResult, agentResult, agentResultsTable, agentTotals } from "../lib/exercises/agent-results.ts";
import { type Exercise, isNoFault, isSurge, loadLabExercises } from "../lib/exercises/exercise-catalog.ts";
import type { InstructorView } from "../lib/exercises/exercise-run.ts";
import { TOOL_CALL_ACTION } from "../lib/mcp/tool-call-audit.ts";
import { exerciseReviewMarkdown } from "../lib/exercises/exercise-review.ts";
import { buildPortalIfStale } from "../scripts/portal-build.ts";
import { repoRoot, runCommand } from "../scripts/cli.ts";
import { gate, startExerciseLab } from "../test/support/exercise-labs.ts";
import { verifyAgentBench } from "./agents/verify-bench-record.ts";

// Up to six slots of 20 ports from here, clear of the ports fetch refuses (6665 to 6669 among them).
const BASE_PORT = 7_100;
const BASELINES: Record<string, string> = {
  scripted: "node --import tsx bench/agents/scripted-agent.ts",
  "do-nothing": "node --import tsx bench/agents/do-nothing-agent.ts",
};
const ONCALL_USER = "usr-oncall";

const say = (line: string) => process.stderr.write(`bench:agents: ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isOver = (run: InstructorView) => run.status === "ended" || run.status === "failed";

interface BenchOptions {
  agent: string;
  command: string;
  seed: string;
  minutes: number;
  maxCalls: number;
  out: string;
}

/** Stops the agent and everything it started (it leads its own process group). */
function stopAgent(child: ChildProcess): Promise<void> {
  // Gone already: it exited, or a signal ended it (then exitCode stays null).
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return Promise.resolve();
  }
  const killed = setTimeout(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // gone already
    }
  }, 5000);
  return exited.finally(() => clearTimeout(killed));
}

async function playOne(exercise: Exercise, slot: number, o: BenchOptions): Promise<AgentExerciseResult> {
  const began = Date.now();
  const elapsed = () => Math.round((Date.now() - began) / 1000);
  const dir = join(o.out, exercise.name);
  mkdirSync(dir, { recursive: true });
  let started: Awaited<ReturnType<typeof startExerciseLab>>;
  try {
    started = await startLab(exercise.name, slot, o.seed);
  } catch (err) {
    return agentResult(exercise, null, { total: 0, refused: 0 }, { elapsedSeconds: elapsed(), problem: (err as Error).message.slice(0, 500) });
  }
  const { lab, env } = started;
  const stop = running(started.stop);
  let agent: ChildProcess | null = null;
  try {
    let run = await lab.start(exercise.name);
    say(`${exercise.name}: run ${run.id} under way; starting the agent`);
    const log = createWriteStream(join(dir, "agent.log"));
    const mcp = [process.execPath, "--import", "tsx", "scripts/lab-mcp.ts", "--persona", "oncall", "--writes", "--max-calls", String(o.maxCalls)];
    agent = spawn("sh", ["-c", o.command], {
      cwd: repoRoot,
      env: { ...process.env, ...env, LAB_MCP_COMMAND: JSON.stringify(mcp), LAB_EXERCISE_SECONDS: String(o.minutes * 60) },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const stopThisAgent = running(() => stopAgent(agent!));
    agent.stdout!.pipe(log, { end: false });
    agent.stderr!.pipe(log, { end: false });
    // The budget counts from the exercise's start, not the lab's.
    const deadline = Date.parse(run.startedAt) + Math.min(o.minutes * 60, exercise.timeLimitSeconds) * 1000;
    const agentGone = () => agent!.exitCode !== null || agent!.signalCode !== null;
    // An agent that stopped without "resolved" has given its answer: nothing more will happen in the run.
    while (!isOver(run) && Date.now() < deadline && !(run.status === "running" && agentGone())) {
      await sleep(2000);
      run = await lab.run(run.id);
    }
    if (!isOver(run)) {
      say(`${exercise.name}: ${Date.now() < deadline ? "the agent stopped without resolving it" : "time budget spent"}; ending it`);
      // It may have ended meanwhile (the agent resolved it): then there is nothing to end.
      await lab.end(run.id).catch(() => undefined);
      run = await lab.run(run.id);
    }
    await stopThisAgent();
    log.end();
    const record = await keepRecord(env, run, dir);
    writeFileSync(join(dir, "review.md"), exerciseReviewMarkdown(run));
    const result = agentResult(exercise, run, record.calls, { elapsedSeconds: elapsed(), digest: record.digest });
    say(`${exercise.name}: ${result.points ?? "-"} points, ${result.mitigated ? "mitigated" : "not mitigated"}, ${result.toolCalls} calls, ${elapsed()} s`);
    return result;
  } catch (err) {
    return agentResult(exercise, null, { total: 0, refused: 0 }, { elapsedSeconds: elapsed(), problem: (err as Error).message.slice(0, 500) });
  } finally {
    if (agent) await stopAgent(agent);
    await stop();
  }
}

/** The labs up now, so an interrupted benchmark stops them all before it exits. */
const stops = new Set<() => Promise<void>>();
const running = (stop: () => Promise<void>) => {
  stops.add(stop);
  return () => {
    stops.delete(stop);
    return stop();
  };
};
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    say(`${signal}: stopping ${stops.size} labs`);
    void Promise.all([...stops].map((stop) => stop().catch(() => undefined))).finally(() => process.exit(130));
  });

const starting = gate(3);
const startLab = (name: string, slot: number, seed: string) =>
  starting(() => startExerciseLab(name, slot, BASE_PORT, { LAB_SEED: seed, LAB_SEED_PATIENTS: "1000" }));

/**
 * The run's record: the agent's tool calls in the control chain between the run's start and end, and the
 * chain's entry that closes it (the digest); the control database is kept beside the results to verify.
 */
async function keepRecord(env: Record<string, string>, run: InstructorView, dir: string) {
  const config = loadConfig(env);
  const dbs = await openLabDatabases(config);
  try {
    const control = dbs.control.sql;
    const range = [new Date(run.startedAt), new Date(run.endedAt ?? Date.now())];
    const [calls] = await control.query<{ total: number; refused: number }>(
      `SELECT COUNT(*) AS "total", SUM(CASE WHEN "outcome" <> 'success' THEN 1 ELSE 0 END) AS "refused" FROM "audit_entries" WHERE "action" = ? AND "actorId" = ? AND "occurredAt" >= ? AND "occurredAt" <= ?`,
      [TOOL_CALL_ACTION, ONCALL_USER, ...range],
    );
    const [last] = await control.query<{ sequence: number | bigint; hash: string }>(
      `SELECT "sequence", "hash" FROM "audit_entries" WHERE "occurredAt" <= ? ORDER BY "sequence" DESC LIMIT 1`,
      [range[1]],
    );
    // A consistent copy of the control database, the chain and all, while the lab still runs.
    await control.execute(`VACUUM INTO '${join(dir, "control.db").replaceAll("'", "''")}'`);
    return {
      calls: { total: Number(calls?.total ?? 0), refused: Number(calls?.refused ?? 0) },
      digest: last ? { sequence: String(last.sequence), hash: last.hash } : null,
    };
  } finally {
    await dbs.close();
  }
}

runCommand("bench:agents", async () => {
  const { values } = parseArgs({
    options: {
      agent: { type: "string" },
      exercises: { type: "string" },
      seed: { type: "string", default: "7" },
      "at-once": { type: "string", default: "4" },
      minutes: { type: "string", default: "9" },
      "max-calls": { type: "string", default: "400" },
      verify: { type: "string" },
    },
  });
  if (values.verify) return verifyAgentBench(values.verify, say);
  if (!values.agent) throw new LabError("invalid", 'say which agent: --agent scripted | do-nothing | "<command>"', { field: "--agent" });
  const atOnce = Number(values["at-once"]);
  const minutes = Number(values.minutes);
  const maxCalls = Number(values["max-calls"]);
  if (!Number.isInteger(atOnce) || atOnce < 1 || atOnce > 6)
    throw new LabError("invalid", "--at-once must be a whole number from 1 to 6", { field: "--at-once" });
  if (!(minutes >= 3 && minutes <= 30)) throw new LabError("invalid", "--minutes must be from 3 to 30", { field: "--minutes" });
  if (!Number.isInteger(maxCalls) || maxCalls < 1) throw new LabError("invalid", "--max-calls must be a whole number above 0", { field: "--max-calls" });
  if (!/^\d{1,9}$/.test(values.seed)) throw new LabError("invalid", "--seed must be a whole number", { field: "--seed" });
  const catalog = loadLabExercises(repoRoot);
  const names = values.exercises?.split(",").map((n) => n.trim());
  const unknown = names?.filter((n) => !catalog.some((e) => e.name === n)) ?? [];
  if (unknown.length) throw new LabError("invalid", `no exercise ${unknown.join(", ")} in exercises/`, { field: "--exercises" });
  const chosen = names ? catalog.filter((e) => names.includes(e.name)) : catalog;

  const stamp = new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19);
  const out = join(loadConfig().dataDir, "agent-bench", `${stamp}-${values.agent.replace(/[^a-z0-9]+/gi, "-").slice(0, 40)}`);
  mkdirSync(out, { recursive: true });
  const o: BenchOptions = { agent: values.agent, command: BASELINES[values.agent] ?? values.agent, seed: values.seed, minutes, maxCalls, out };
  buildPortalIfStale(repoRoot, (line) => say(line));
  const began = Date.now();
  say(`${chosen.length} exercises, ${atOnce} labs at a time, ${minutes} min each at most; results in ${out}`);

  const results = new Map<string, AgentExerciseResult>();
  let done = 0;
  const play = async (queue: Exercise[], lanes: number, firstSlot: number): Promise<unknown> =>
    Promise.all(
      Array.from({ length: Math.min(lanes, queue.length) }, async (_u, lane) => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          results.set(next.name, await playOne(next, firstSlot + lane, o));
          say(`${++done}/${chosen.length} done, ${Math.round((Date.now() - began) / 60_000)} min in`);
        }
      }),
    );
  // The surges first, two at a time with no other lab: their load is the fault, and it would be every
  // neighbour's fault too (ADR 0029). Then the rest, the healthy labs last, when the lanes thin out.
  await play(chosen.filter(isSurge), Math.min(2, atOnce), 0);
  const rest = chosen.filter((e) => !isSurge(e));
  await play([...rest.filter((e) => !isNoFault(e)), ...rest.filter(isNoFault)], atOnce, 0);

  const ordered = chosen.map((e) => results.get(e.name)!);
  const seconds = Math.round((Date.now() - began) / 1000);
  writeFileSync(
    join(out, "results.json"),
    `${JSON.stringify({ agent: o.agent, command: o.command, seed: o.seed, startedAt: new Date(began).toISOString(), seconds, atOnce, minutes, maxCalls, totals: agentTotals(ordered), results: ordered }, null, 2)}\n`,
  );
  console.log(`\n${agentResultsTable(o.agent, ordered)}\n`);
  console.log(`bench:agents: ${chosen.length} exercises in ${Math.floor(seconds / 60)} min ${seconds % 60} s; results ${join(out, "results.json")}`);
});
