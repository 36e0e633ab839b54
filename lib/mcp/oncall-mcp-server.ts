// The lab's MCP server for agents on call (ADR 0032): the on-call tools (oncall-tools.ts) and the runbooks
// and the exercise briefing as resources, for one connection of one agent signed in as one persona. Each
// call is held to the connection's mode (read-only unless opened with writes), to the agent's call budget,
// then run through the lab's APIs as the persona, and recorded in the audit whatever its outcome. Hosts:
// the portal's /api/mcp (Streamable HTTP) and npm run lab:mcp (stdio).
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { randomUUID } from "node:crypto";
import { LabError } from "../errors/index.ts";
import type { CallBudget } from "./call-budget.ts";
import { ONCALL_TOOLS, type OnCallTool, type ToolContext, exercisePage } from "./oncall-tools.ts";
import type { ToolCallRecord } from "./tool-call-audit.ts";

export interface OnCallServerOptions {
  context: ToolContext;
  /** Opened with writes enabled: the levers, the exercise's acts, drills. Read-only otherwise. */
  writes: boolean;
  transport: ToolCallRecord["transport"];
  budget: CallBudget;
  record: (call: ToolCallRecord) => Promise<void>;
  /** How a read-only agent opens a connection with writes (the host's words: a flag, a URL). */
  howToEnableWrites: string;
  /** The connection's step budget (a benchmark's): calls past it are refused. None when absent. */
  maxCalls?: number;
  tools?: readonly OnCallTool[];
}

export const MCP_SERVER_NAME = "pim-sre-lab";

const INSTRUCTIONS = `You are on call for PIM SRE Lab, a synthetic-healthcare lab that misbehaves for real. Start with read_exercise (the page you were sent) and list_alerts; read the SLOs, SLI series, traces, logs, audit and topology; follow the runbooks (read_runbook). Then acknowledge, diagnose (entity and fault class), pull a lever (list_levers), and resolve. "Nothing is wrong" can be the right answer.`;

const text = (value: unknown): CallToolResult => ({ content: [{ type: "text", text: typeof value === "string" ? value : JSON.stringify(value) }] });

function refusal(err: unknown): { outcome: ToolCallRecord["outcome"]; message: string } {
  if (err instanceof LabError) {
    const denied = err.code === "forbidden" || err.code === "unauthenticated" || err.code === "rate_limited";
    return { outcome: denied ? "denied" : "failed", message: `${err.code}${err.field ? ` (${err.field})` : ""}: ${err.message}` };
  }
  return { outcome: "failed", message: `failed: ${(err as Error).message ?? String(err)}` };
}

export function createOnCallMcpServer(o: OnCallServerOptions): McpServer {
  const server = new McpServer({ name: MCP_SERVER_NAME, version: "1.0.0" }, { instructions: INSTRUCTIONS });
  const agent = () => {
    const client = server.server.getClientVersion();
    return client ? `${client.name}/${client.version}` : "unnamed";
  };

  let calls = 0;
  async function call(t: OnCallTool, args: Record<string, unknown>): Promise<CallToolResult> {
    const at = new Date();
    calls++;
    const who = agent();
    let answer: unknown;
    let failure: ReturnType<typeof refusal> | null = null;
    try {
      if (o.maxCalls !== undefined && calls > o.maxCalls) throw new LabError("rate_limited", `this connection's budget of ${o.maxCalls} calls is spent`);
      if (t.writes && !o.writes) throw new LabError("forbidden", `${t.name} changes the lab, and this connection is read-only: ${o.howToEnableWrites}`);
      const allowance = o.budget.take(`${o.context.actor.userId}/${who}`);
      if (!allowance.ok) throw new LabError("rate_limited", `too many calls: try again in ${Math.ceil(allowance.retryAfterMs / 1000)} s`);
      answer = await t.run(args, o.context);
    } catch (err) {
      failure = refusal(err);
    }
    try {
      await o.record({
        at,
        actor: o.context.actor,
        agent: who,
        tool: t.name,
        transport: o.transport,
        writes: o.writes,
        outcome: failure?.outcome ?? "success",
        ms: Date.now() - at.getTime(),
        error: failure?.message ?? null,
        requestId: randomUUID(),
        arguments: Object.keys(args).sort(),
      });
    } catch (err) {
      // An unrecorded call is not answered: the audit is the run's record.
      return { ...text(`failed: the call could not be recorded in the audit (${(err as Error).message})`), isError: true };
    }
    return failure ? { ...text(failure.message), isError: true } : text(answer);
  }

  for (const t of o.tools ?? ONCALL_TOOLS) {
    server.registerTool(
      t.name,
      {
        title: t.title,
        description: t.writes ? `${t.description} (changes the lab)` : t.description,
        inputSchema: t.input,
        annotations: { readOnlyHint: !t.writes, destructiveHint: t.writes, idempotentHint: !t.writes, openWorldHint: false },
      },
      (args: Record<string, unknown>) => call(t, args ?? {}),
    );
  }

  server.registerResource(
    "runbook",
    new ResourceTemplate("runbook://{name}", {
      list: () => ({
        resources: [...o.context.runbooks().keys()].sort().map((name) => ({ uri: `runbook://${name}`, name, mimeType: "text/markdown" })),
      }),
    }),
    { title: "Runbooks", description: "The lab's runbooks: one per SLO's alerts, one per part of the lab, and levers", mimeType: "text/markdown" },
    (uri, { name }) => {
      const markdown = o.context.runbooks().get(String(name));
      if (markdown === undefined) throw new LabError("not_found", `no runbook named ${String(name)}`, { field: "name" });
      return { contents: [{ uri: uri.href, mimeType: "text/markdown", text: markdown }] };
    },
  );
  server.registerResource(
    "exercise-briefing",
    "exercise://briefing",
    { title: "The exercise briefing", description: "The exercise under way as its player sees it", mimeType: "application/json" },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(await exercisePage(o.context.lab)) }] }),
  );
  return server;
}
