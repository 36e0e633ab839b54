// The lab's traces for operators, from the local span store: the newest requests through the gateway
// (GET /_lab/traces), one trace across the gateway, the services, the relay and the projector (their batch
// spans link to it) (GET /_lab/traces/:traceId), and the trace's lines in the process logs (…/logs).
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { TokenVerifier } from "../../lib/auth/tokens.ts";
import type { SqlDatabase } from "../../lib/data/sql-database.ts";
import { LabError } from "../../lib/errors/index.ts";
import { TRACE_ID, readTrace, recentTraces } from "../../lib/telemetry/span-store.ts";
import { traceLogLines } from "../../lib/telemetry/trace-logs.ts";
import { authorizedActor, parseInput } from "../common/http-context.ts";

const TraceParams = z.strictObject({ traceId: z.string().regex(TRACE_ID, "must be 32 lower-case hex digits (a W3C trace id)") });
const RecentQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  errors: z.enum(["true", "false"]).default("false"),
  minMs: z.coerce.number().min(0).max(600_000).default(0),
});

export function traceRoutes(app: FastifyInstance, store: SqlDatabase, tokens: TokenVerifier, logDir: string | null): void {
  app.get("/_lab/traces", async (request) => {
    await authorizedActor(request, tokens, "ops.read");
    const query = parseInput(RecentQuery, request.query, "query");
    return { traces: await recentTraces(store, { limit: query.limit, errorsOnly: query.errors === "true", minDurationMs: query.minMs }) };
  });

  app.get("/_lab/traces/:traceId", async (request) => {
    await authorizedActor(request, tokens, "ops.read");
    const { traceId } = parseInput(TraceParams, request.params, "path");
    const spans = await readTrace(store, traceId);
    if (spans.length === 0) throw new LabError("not_found", `no spans of trace ${traceId} are kept here (spans are kept for 24 h and written about a second after they end)`, { field: "traceId" });
    return { traceId, services: [...new Set(spans.map((s) => s.service))], spans };
  });

  app.get("/_lab/traces/:traceId/logs", async (request) => {
    await authorizedActor(request, tokens, "ops.read");
    const { traceId } = parseInput(TraceParams, request.params, "path");
    return { traceId, lines: logDir ? await traceLogLines(logDir, traceId) : [] };
  });
}
