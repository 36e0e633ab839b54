// The lab's traces for operators, from the local span store: the newest requests through the gateway
// (GET /_lab/traces), one trace across the gateway, the services, the relay and the projector (their batch
// spans link to it) (GET /_lab/traces/:traceId), the trace's lines in the process logs (…/logs), and the
// logs searched by process, level and text (GET /_lab/logs).
import { GATEWAY_ROUTES as R } from "../../lib/contracts/routes/gateway-routes.ts";
import type { SqlDatabase } from "../../lib/data/sql-database.ts";
import { LabError } from "../../lib/errors/index.ts";
import { seesControls } from "../../lib/auth/policy.ts";
import type { Actor } from "../../lib/auth/roles.ts";
import { isControlSpan, readTrace, recentTraces } from "../../lib/telemetry/span-store.ts";
import { type TraceLogLine, searchLogLines, traceLogLines } from "../../lib/telemetry/trace-logs.ts";
import type { DeclaredRoutes } from "../common/declared-routes.ts";

/** A line of the controls' own (their processes' logs, a request to a control route): hidden as their spans are. */
const isControlLine = (l: TraceLogLine) => isControlSpan({ service: l.process, name: `${l.fields.method ?? ""} ${l.fields.route ?? ""}` });

export function traceRoutes(routes: DeclaredRoutes, store: SqlDatabase, logDir: string | null): void {
  routes.serve(R.traces, async ({ actor, query }) => ({
    traces: await recentTraces(store, {
      limit: query.limit,
      errorsOnly: query.errors === "true",
      minDurationMs: query.minMs,
      withoutControls: !seesControls(actor),
    }),
  }));

  // A trace of the lab's controls is, to whoever may not see them, a trace that is not kept (ADR 0023).
  const visibleTrace = async (actor: Actor, traceId: string) => {
    const spans = await readTrace(store, traceId);
    return seesControls(actor) || !spans.some(isControlSpan) ? spans : null;
  };

  routes.serve(R.trace, async ({ actor, params: { traceId } }) => {
    const spans = await visibleTrace(actor, traceId);
    if (!spans || spans.length === 0)
      throw new LabError("not_found", `no spans of trace ${traceId} are kept here (spans are kept for 24 h and written about a second after they end)`, {
        field: "traceId",
      });
    return { traceId, services: [...new Set(spans.map((s) => s.service))], spans };
  });

  routes.serve(R.traceLogs, async ({ actor, params: { traceId } }) => {
    if (!logDir || (await visibleTrace(actor, traceId)) === null) return { traceId, lines: [] };
    const lines = await traceLogLines(logDir, traceId);
    return { traceId, lines: seesControls(actor) ? lines : lines.filter((l) => !isControlLine(l)) };
  });

  routes.serve(R.logs, async ({ actor, query }) => {
    const controls = seesControls(actor);
    if (!logDir || (query.traceId && (await visibleTrace(actor, query.traceId)) === null)) return { lines: [] };
    const { traceId, process, level, text, sinceMinutes, limit } = query;
    const since = sinceMinutes ? new Date(Date.now() - sinceMinutes * 60_000) : undefined;
    return { lines: await searchLogLines(logDir, { traceId, process, level, text, since, hide: controls ? undefined : isControlLine }, { limit }) };
  });
}
