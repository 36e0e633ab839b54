// /api/mcp: the lab's MCP server for agents on call, over Streamable HTTP (ADR 0032). An agent sends a lab
// bearer token (npm run lab:token -- --persona oncall) and is that persona to every tool; the connection
// is read-only unless opened at /api/mcp?writes=on. The tools call the lab as the persona, like its pages.
import { labBearer } from "@/app/session.ts";
import { labConfig, sharedLabDatabases } from "@/app/portal-connections.ts";
import { portalRoute } from "@/app/portal-route.ts";
import { AGENT_CALL_BUDGET, CallBudget } from "@/lib/mcp/call-budget.ts";
import { McpSessions } from "@/lib/mcp/mcp-sessions.ts";
import { recordToolCall } from "@/lib/mcp/tool-call-audit.ts";
import { createLabClient, labOrigins } from "@/lib/lab-client/lab-client.ts";
import { PORTAL_ROUTES } from "@/lib/portal/portal-routes.ts";
import { readRunbooks } from "@/lib/runbooks/lab-runbooks.ts";

export const dynamic = "force-dynamic";

const holder = globalThis as typeof globalThis & { __pimMcp?: McpSessions };

/** The portal's MCP sessions, one call budget per agent across them. */
function openSessions(): McpSessions {
  const budget = new CallBudget(AGENT_CALL_BUDGET);
  let runbooks: ReadonlyMap<string, string> | undefined;
  return new McpSessions({
    serverFor: (actor, writes) => {
      const origins = labOrigins(labConfig());
      return {
        context: {
          actor,
          lab: createLabClient({ origins, authorization: () => labBearer(actor) }),
          origins,
          databases: sharedLabDatabases,
          runbooks: () => (runbooks ??= readRunbooks(process.cwd())),
          shardCount: labConfig().shardCount,
        },
        writes,
        budget,
        record: async (call) => recordToolCall((await sharedLabDatabases()).control.sql, call),
        howToEnableWrites: "connect to /api/mcp?writes=on to pull levers and act",
      };
    },
  });
}
const sessions = () => (holder.__pimMcp ??= openSessions());

const handle = portalRoute(PORTAL_ROUTES.mcp, ({ actor, request }) => sessions().handle(actor, request));
export const GET = handle;
export const POST = handle;
export const DELETE = handle;
