// npm run bench:agents -- --verify <results dir>: checks a benchmark's record again, from what it kept: each
// exercise's control database, whose audit chain must link and hash from genesis to its end, hold the
// entry the results name as the run's digest, and count the agent's tool calls in the run as the results do.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type AuditRecord, GENESIS_HASH, entryHash } from "../../lib/audit/audit-chain.ts";
import { openSqlite } from "../../lib/data/sql-database.ts";
import type { AgentExerciseResult } from "../../lib/exercises/agent-results.ts";
import { TOOL_CALL_ACTION } from "../../lib/mcp/tool-call-audit.ts";

/** An entry as the copy's SQLite gives it back: its sequence a number. */
type Row = Omit<AuditRecord, "sequence"> & { sequence: number | bigint };

/** Why the kept record of one exercise does not hold, or null when it does. */
async function problemOf(dir: string, r: AgentExerciseResult): Promise<string | null> {
  if (!r.digest || !r.runId) return "no record was kept (the exercise was not played)";
  const file = join(dir, r.exercise, "control.db");
  if (!existsSync(file)) return `${file} is missing`;
  const db = openSqlite(file, `${r.exercise} control`);
  try {
    const rows = await db.query<Row>(
      `SELECT "sequence", "occurredAt", "actorId", "actorRole", "action", "entityType", "entityId", "patientId", "requestId", "traceId", "outcome", "details", "prevHash", "hash" FROM "audit_entries" ORDER BY "sequence"`,
    );
    let prev = GENESIS_HASH;
    let digestHeld = false;
    let inRun = false;
    let calls = 0;
    for (const row of rows) {
      const sequence = BigInt(row.sequence);
      if (row.prevHash !== prev) return `entry ${sequence} does not link to the one before it`;
      if (entryHash(prev, { ...row, sequence }) !== row.hash) return `entry ${sequence} is not what its hash says`;
      prev = row.hash;
      if (String(sequence) === r.digest.sequence) digestHeld = row.hash === r.digest.hash;
      if (row.entityId === r.runId && row.action === "exercise.start") inRun = true;
      if (inRun && row.action === TOOL_CALL_ACTION && row.actorId === "usr-oncall") calls++;
      if (row.entityId === r.runId && row.action === "exercise.end") inRun = false;
    }
    if (!digestHeld) return `the digest (entry ${r.digest.sequence}) is not in the chain as recorded`;
    if (calls !== r.toolCalls) return `the chain holds ${calls} tool calls of the agent in the run, the results say ${r.toolCalls}`;
    return null;
  } finally {
    await db.close();
  }
}

export async function verifyAgentBench(dir: string, say: (line: string) => void): Promise<void> {
  const { agent, results } = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as { agent: string; results: AgentExerciseResult[] };
  let failed = 0;
  for (const r of results) {
    const problem = await problemOf(dir, r);
    if (problem) failed++;
    say(`${r.exercise}: ${problem ? `NOT VERIFIED: ${problem}` : `verified (${r.toolCalls} tool calls, digest ${r.digest!.hash.slice(0, 12)}…)`}`);
  }
  say(`${agent}: ${results.length - failed} of ${results.length} records verified`);
  if (failed > 0) process.exitCode = 1;
}
