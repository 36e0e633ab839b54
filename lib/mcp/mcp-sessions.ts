// The MCP connections an HTTP host keeps (Streamable HTTP, stateful): a session per initialize, bound to
// the persona that opened it and to its mode (read-only or with writes), ended by the client's DELETE or
// after it has been idle a while. Framework-free: it takes a web Request and answers a Response.
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { randomUUID } from "node:crypto";
import type { Actor } from "../auth/roles.ts";
import { LabError } from "../errors/index.ts";
import type { OnCallServerOptions } from "./oncall-mcp-server.ts";
import { createOnCallMcpServer } from "./oncall-mcp-server.ts";

interface Session {
  transport: WebStandardStreamableHTTPServerTransport;
  userId: string;
  lastSeen: number;
}

export interface McpSessionsOptions {
  /** The server options for a new connection of `actor`, opened with writes or not. */
  serverFor: (actor: Actor, writes: boolean) => Omit<OnCallServerOptions, "transport">;
  idleMs?: number;
  maxSessions?: number;
  now?: () => number;
}

/** The query parameter that opens a connection with writes: /api/mcp?writes=on. */
export const WRITES_PARAM = "writes";

export class McpSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly o: McpSessionsOptions) {}

  get size(): number {
    return this.sessions.size;
  }

  async handle(actor: Actor, request: Request): Promise<Response> {
    this.sweep();
    const id = request.headers.get("mcp-session-id");
    if (id) {
      const session = this.sessions.get(id);
      // Another persona's session is, to this caller, one that does not exist.
      if (!session || session.userId !== actor.userId)
        throw new LabError("not_found", "no MCP session with that id: it ended or went idle; initialize a new one", { field: "mcp-session-id" });
      session.lastSeen = this.now();
      return session.transport.handleRequest(request);
    }
    if (request.method !== "POST") throw new LabError("invalid", "open a session first: POST an initialize request", { field: "mcp-session-id" });
    const body: unknown = await request.json().catch(() => {
      throw new LabError("invalid", "the body is not JSON-RPC", { field: "body" });
    });
    if (!isInitializeRequest(body))
      throw new LabError("invalid", "no mcp-session-id: the first request of a session is initialize", { field: "mcp-session-id" });
    if (this.sessions.size >= (this.o.maxSessions ?? 50))
      throw new LabError("rate_limited", "too many MCP sessions are open: end one (DELETE) or wait for one to go idle");
    const writes = new URL(request.url).searchParams.get(WRITES_PARAM) === "on";
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sessionId) => {
        this.sessions.set(sessionId, { transport, userId: actor.userId, lastSeen: this.now() });
      },
      onsessionclosed: (sessionId) => {
        this.sessions.delete(sessionId);
      },
    });
    const server = createOnCallMcpServer({ ...this.o.serverFor(actor, writes), transport: "http" });
    await server.connect(transport);
    return transport.handleRequest(request, { parsedBody: body });
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => s.transport.close()));
    this.sessions.clear();
  }

  private now(): number {
    return (this.o.now ?? Date.now)();
  }

  private sweep(): void {
    const idle = this.o.idleMs ?? 30 * 60_000;
    for (const [id, s] of this.sessions)
      if (this.now() - s.lastSeen > idle) {
        this.sessions.delete(id);
        void s.transport.close();
      }
  }
}
