// GET /_lab/traces/:traceId: one trace from the local span store, across the gateway, the services, the
// relay and the projector (their batch spans link to it), for operators.
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { TokenVerifier } from "../../lib/auth/tokens.ts";
import type { SqlDatabase } from "../../lib/data/sql-database.ts";
import { LabError } from "../../lib/errors/index.ts";
import { readTrace } from "../../lib/telemetry/span-store.ts";
import { authorizedActor, parseInput } from "../common/http-context.ts";

const TraceParams = z.strictObject({ traceId: z.string().regex(/^[0-9a-f]{32}$/, "must be 32 lower-case hex digits (a W3C trace id)") });

export function traceRoutes(app: FastifyInstance, store: SqlDatabase, tokens: TokenVerifier): void {
  app.get("/_lab/traces/:traceId", async (request) => {
    await authorizedActor(request, tokens, "ops.read");
    const { traceId } = parseInput(TraceParams, request.params, "path");
    const spans = await readTrace(store, traceId);
    if (spans.length === 0) throw new LabError("not_found", `no spans of trace ${traceId} are kept here (spans are kept for 24 h and written about a second after they end)`, { field: "traceId" });
    return { traceId, services: [...new Set(spans.map((s) => s.service))], spans };
  });
}
