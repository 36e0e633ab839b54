// npm run audit:verify            verifies every audit chain (each shard's and the control database's)
// npm run audit:prune -- --older-than 90d
//                                 prunes entries older than that behind signed checkpoints (retention)
// A broken chain exits 1 naming the shard, the entry and what is wrong; bad arguments exit 2.
import { parseArgs } from "node:util";
import { auditLogsOf } from "../lib/audit/audit-logs.ts";
import { pruneAuditLog } from "../lib/audit/prune-audit.ts";
import { verifyAuditChain } from "../lib/audit/verify-chain.ts";
import { loadConfig } from "../lib/config/index.ts";
import { openLabDatabases } from "../lib/data/lab-databases.ts";
import { LabError } from "../lib/errors/index.ts";
import { runCommand } from "./cli.ts";
import { parseDuration } from "./durations.ts";

const [verb, ...rest] = process.argv.slice(2);

runCommand(`audit:${verb ?? "?"}`, async () => {
  if (verb !== "verify" && verb !== "prune") throw new LabError("invalid", "usage: npm run audit:verify | npm run audit:prune -- --older-than 90d");
  let olderThanMs = 0;
  if (verb === "prune") {
    let values;
    try {
      ({ values } = parseArgs({ args: rest, options: { "older-than": { type: "string" } }, strict: true }));
    } catch (err) {
      throw new LabError("invalid", `${(err as Error).message}; usage: npm run audit:prune -- --older-than 90d`);
    }
    if (!values["older-than"]) throw new LabError("invalid", "--older-than is required, e.g. --older-than 90d", { field: "older-than" });
    olderThanMs = parseDuration(values["older-than"], "older-than");
  }
  const config = loadConfig();
  const lab = await openLabDatabases(config);
  try {
    const chains = auditLogsOf(lab);
    if (verb === "prune") {
      const olderThan = new Date(Date.now() - olderThanMs);
      for (const chain of chains) {
        const report = await pruneAuditLog(chain, config.privacySecret, { olderThan, actorId: "usr-retention", actorRole: "admin", requestId: null });
        console.log(
          `audit:prune ${chain.label}: ${report.pruned} entries before ${olderThan.toISOString()} pruned${report.checkpointSequence === null ? "" : ` behind checkpoint ${report.checkpointSequence}`}`,
        );
      }
    }
    let broken = 0;
    for (const chain of chains) {
      const result = await verifyAuditChain(chain, config.privacySecret);
      if (result.ok) console.log(`audit:verify ${chain.label}: ok, ${result.checked} entries (${result.fromSequence ?? "-"}..${result.toSequence ?? "-"})`);
      else {
        broken++;
        console.error(`audit:verify ${chain.label}: BROKEN at entry ${result.problem!.sequence}: ${result.problem!.kind}: ${result.problem!.detail}`);
      }
    }
    if (broken) process.exitCode = 1;
  } finally {
    await lab.close();
  }
});
