// The lab's traces for operators, from the local span store: the newest requests through the gateway
// (GET /_lab/traces), one trace across the gateway, the services, the relay and the projector (their batch
// spans link to it) (GET /_lab/traces/:traceId), and the trace's lines in the process logs (…/logs).
import { GATEWAY_ROUTES as R } from "../../lib/contracts/routes/gateway-routes.ts";
import type { SqlDatabase } from "../../lib/data/sql-database.ts";
import { LabError } from "../../lib/errors/index.ts";
import { readTrace, recentTraces } from "../../lib/telemetry/span-store.ts";
import { traceLogLines } from "../../lib/telemetry/trace-logs.ts";
import type { DeclaredRoutes } from "../common/declared-routes.ts";

export function traceRoutes(routes: DeclaredRoutes, store: SqlDatabase, logDir: string | null): void {
  routes.serve(R.traces, async ({ query }) => ({
    traces: await recentTraces(store, { limit: query.limit, errorsOnly: query.errors === "true", minDurationMs: query.minMs }),
  }));

  routes.serve(R.trace, async ({ params: { traceId } }) => {
    const spans = await readTrace(store, traceId);
    if (spans.length === 0)
      throw new LabError("not_found", `no spans of trace ${traceId} are kept here (spans are kept for 24 h and written about a second after they end)`, {
        field: "traceId",
      });
    return { traceId, services: [...new Set(spans.map((s) => s.service))], spans };
  });

  routes.serve(R.traceLogs, async ({ params: { traceId } }) => ({ traceId, lines: logDir ? await traceLogLines(logDir, traceId) : [] }));
}
