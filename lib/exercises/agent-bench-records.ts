// The agents' benchmark runs kept under <data dir>/agent-bench/<run>/ (bench/agents.bench.ts writes them):
// their results for the portal's leaderboard, and each exercise's post-incident review. Names from a URL
// are checked before they touch the file system.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { AgentExerciseResult, AgentTotals } from "./agent-results.ts";

export interface AgentBenchRun {
  id: string;
  agent: string;
  command: string;
  seed: string;
  startedAt: string;
  seconds: number;
  atOnce: number;
  minutes: number;
  maxCalls: number;
  totals: AgentTotals;
  results: AgentExerciseResult[];
}

const RUN_ID = /^[0-9T-]{19}-[A-Za-z0-9-]{1,40}$/;
const EXERCISE = /^[a-z0-9][a-z0-9-]{0,62}$/;

export const agentBenchDir = (dataDir: string) => join(dataDir, "agent-bench");

/** Every run with its results, newest first; a run without results.json (one under way, or broken) is left out. */
export function readAgentBenchRuns(dataDir: string): AgentBenchRun[] {
  const dir = agentBenchDir(dataDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((id) => RUN_ID.test(id))
    .flatMap((id) => {
      const run = readAgentBenchRun(dataDir, id);
      return run ? [run] : [];
    })
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

export function readAgentBenchRun(dataDir: string, id: string): AgentBenchRun | null {
  if (!RUN_ID.test(id)) return null;
  try {
    return { id, ...(JSON.parse(readFileSync(join(agentBenchDir(dataDir), id, "results.json"), "utf8")) as Omit<AgentBenchRun, "id">) };
  } catch {
    return null;
  }
}

/** An exercise's post-incident review in a run (Markdown), or null. */
export function readAgentBenchReview(dataDir: string, id: string, exercise: string): string | null {
  if (!RUN_ID.test(id) || !EXERCISE.test(exercise)) return null;
  const file = join(agentBenchDir(dataDir), id, exercise, "review.md");
  return existsSync(file) ? readFileSync(file, "utf8") : null;
}
