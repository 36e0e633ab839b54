// Every tool call an agent makes is an entry in the control database's audit chain, under the persona it
// signed in as and with the agent's own name, whether it was answered, refused or failed: a benchmark run's
// record is the chain itself, and can be verified afterwards (npm run audit:verify).
import type { Actor } from "../auth/roles.ts";
import { recordAudit } from "../audit/audit-chain.ts";
import type { SqlDatabase } from "../data/sql-database.ts";

export const TOOL_CALL_ACTION = "agent.tool-call";

export interface ToolCallRecord {
  at: Date;
  actor: Actor;
  /** The agent as its MCP client named itself at initialize ("name/version"), or "unnamed". */
  agent: string;
  tool: string;
  transport: "stdio" | "http";
  /** Whether the connection may change the lab. */
  writes: boolean;
  outcome: "success" | "denied" | "failed";
  ms: number;
  /** The refusal's or failure's code and message; null when answered. */
  error: string | null;
  requestId: string;
  /** The argument names given (never their values: free text stays out of the chain). */
  arguments: string[];
}

export async function recordToolCall(control: SqlDatabase, call: ToolCallRecord): Promise<void> {
  await control.transaction(async (tx) => {
    await recordAudit(tx, {
      occurredAt: call.at,
      actorId: call.actor.userId,
      actorRole: call.actor.role,
      action: TOOL_CALL_ACTION,
      entityType: "AgentTool",
      entityId: call.tool,
      patientId: null,
      requestId: call.requestId,
      traceId: null,
      outcome: call.outcome,
      details: { agent: call.agent, transport: call.transport, writes: call.writes, ms: call.ms, error: call.error, arguments: call.arguments },
    });
  });
}
