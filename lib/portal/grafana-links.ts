// Links from the portal into the Grafana stack, where one is configured (GRAFANA_URL, TEMPO_URL, LOKI_URL):
// an SLO's generated dashboard at a chosen time range, a trace in Tempo and its logs in Loki through
// Grafana's Explore. Every function answers null when its part of the stack is not set, and the portal's
// own views serve instead.
import type { LabConfig } from "../config/index.ts";
import { dashboardUidOf } from "../slo/grafana-dashboard.ts";

export type GrafanaStack = LabConfig["grafana"];
export interface TimeRange {
  fromMs: number;
  toMs: number;
}

/** Around a drill or scenario: ten minutes before it started until ten after it ended (or now). */
export function rangeAround(startedAt: string | null, endedAt: string | null, now = Date.now()): TimeRange {
  const from = startedAt ? Date.parse(startedAt) : now - 3_600_000;
  const to = endedAt ? Date.parse(endedAt) : now;
  return { fromMs: from - 600_000, toMs: Math.min(now, to + 600_000) };
}

export function sloDashboardLink(stack: GrafanaStack, sloName: string, range?: TimeRange): string | null {
  if (!stack.url) return null;
  const time = range ? `from=${range.fromMs}&to=${range.toMs}` : "from=now-24h&to=now";
  return `${stack.url}/d/${encodeURIComponent(dashboardUidOf(sloName))}?${time}&var-datasource=prometheus`;
}

function explore(grafana: string, datasource: string, query: Record<string, unknown>, range: TimeRange | undefined): string {
  const left = {
    datasource,
    queries: [{ refId: "A", ...query }],
    range: range ? { from: String(range.fromMs), to: String(range.toMs) } : { from: "now-1h", to: "now" },
  };
  return `${grafana}/explore?orgId=1&left=${encodeURIComponent(JSON.stringify(left))}`;
}

export function tempoTraceLink(stack: GrafanaStack, traceId: string): string | null {
  if (!stack.tempo.url) return null;
  if (!stack.url) return `${stack.tempo.url.replace(/\/+$/, "")}/api/traces/${traceId}`;
  return explore(stack.url, stack.tempo.datasource, { queryType: "traceql", query: traceId }, undefined);
}

export function lokiLogsLink(stack: GrafanaStack, traceId: string, range?: TimeRange): string | null {
  if (!stack.loki.url) return null;
  const query = `{service=~".+"} |= "${traceId}"`;
  if (!stack.url) return `${stack.loki.url.replace(/\/+$/, "")}/loki/api/v1/query_range?query=${encodeURIComponent(query)}`;
  return explore(stack.url, stack.loki.datasource, { expr: query, queryType: "range" }, range);
}
