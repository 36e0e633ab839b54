// npm run -s lab:mcp -- [--persona oncall] [--writes] [--max-calls N]: the lab's MCP server over stdio, for
// an agent on this machine (ADR 0032): the agent is the persona's demo user to every tool, read-only unless
// --writes; --max-calls is a benchmark's step budget.
// The lab must be running (npm run lab). stdout is the protocol's: everything else goes to stderr.
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { parseArgs } from "node:util";
import { ROLES, type Role } from "../lib/auth/roles.ts";
import { issueLabToken, labSigningKey } from "../lib/auth/tokens.ts";
import { loadConfig } from "../lib/config/index.ts";
import { openLabDatabases } from "../lib/data/lab-databases.ts";
import { demoPersonaActor } from "../lib/data/reference-data.ts";
import { LabError } from "../lib/errors/index.ts";
import { createLabClient, labOrigins } from "../lib/lab-client/lab-client.ts";
import { AGENT_CALL_BUDGET, CallBudget } from "../lib/mcp/call-budget.ts";
import { createOnCallMcpServer } from "../lib/mcp/oncall-mcp-server.ts";
import { recordToolCall } from "../lib/mcp/tool-call-audit.ts";
import { readRunbooks } from "../lib/runbooks/lab-runbooks.ts";
import { repoRoot, runCommand } from "./cli.ts";

runCommand("lab:mcp", async () => {
  let values: { persona: string; writes: boolean; "max-calls"?: string };
  try {
    values = parseArgs({
      args: process.argv.slice(2),
      options: { persona: { type: "string", default: "oncall" }, writes: { type: "boolean", default: false }, "max-calls": { type: "string" } },
      strict: true,
    }).values as typeof values;
  } catch (err) {
    throw new LabError("invalid", `${(err as Error).message}; usage: npm run -s lab:mcp -- [--persona ${ROLES.join("|")}] [--writes] [--max-calls N]`);
  }
  const { persona, writes } = values;
  const maxCalls = values["max-calls"] === undefined ? undefined : Number(values["max-calls"]);
  if (maxCalls !== undefined && !(Number.isInteger(maxCalls) && maxCalls > 0))
    throw new LabError("invalid", "--max-calls must be a whole number above 0", { field: "max-calls" });
  if (!(ROLES as readonly string[]).includes(persona)) throw new LabError("invalid", `--persona must be one of ${ROLES.join(", ")}`, { field: "persona" });
  const config = loadConfig();
  const databases = await openLabDatabases(config);
  try {
    const actor = await demoPersonaActor(databases, persona as Role);
    const key = labSigningKey(config.privacySecret);
    const origins = labOrigins(config);
    const runbooks = readRunbooks(repoRoot);
    const server = createOnCallMcpServer({
      context: {
        actor,
        lab: createLabClient({ origins, authorization: async () => `Bearer ${await issueLabToken(key, actor, { ttlSeconds: 300 })}` }),
        origins,
        databases: async () => databases,
        runbooks: () => runbooks,
        shardCount: config.shardCount,
      },
      writes,
      transport: "stdio",
      budget: new CallBudget(AGENT_CALL_BUDGET),
      record: (call) => recordToolCall(databases.control.sql, call),
      howToEnableWrites: "start npm run lab:mcp with --writes to pull levers and act",
      maxCalls,
    });
    const transport = new StdioServerTransport();
    const closed = new Promise<void>((resolve) => {
      transport.onclose = resolve;
      process.stdin.once("end", resolve);
    });
    await server.connect(transport);
    console.error(`lab:mcp: serving ${actor.userId} (${actor.role}) over stdio, ${writes ? "with writes" : "read-only"}`);
    await closed;
    await server.close();
  } finally {
    await databases.close();
  }
});
