// A trace as a waterfall: each span a row, nested under its parent, placed on one time axis from the
// first span's start to the last one's end. Spans of other traces that link to this one (the relay's and
// the projector's batches that carried its events) follow, marked as linked, on the same axis.
import type { StoredSpan } from "../telemetry/span-store.ts";

export interface WaterfallRow {
  spanId: string;
  service: string;
  name: string;
  kind: string;
  depth: number;
  /** Where the bar starts and how wide it is, in percent of the axis. */
  offsetPercent: number;
  widthPercent: number;
  startOffsetMs: number;
  durationMs: number;
  error: boolean;
  statusMessage: string | null;
  linked: boolean;
}

const KINDS = ["internal", "server", "client", "producer", "consumer"];

export function traceWaterfall(traceId: string, spans: readonly StoredSpan[]): { totalMs: number; rows: WaterfallRow[] } {
  if (spans.length === 0) return { totalMs: 0, rows: [] };
  const start = Math.min(...spans.map((s) => s.startUs));
  const end = Math.max(...spans.map((s) => s.startUs + s.durationUs));
  const total = Math.max(1, end - start);
  const own = spans.filter((s) => s.traceId === traceId);
  const ids = new Set(own.map((s) => s.spanId));
  const children = new Map<string | null, StoredSpan[]>();
  for (const s of own) {
    const parent = s.parentSpanId !== null && ids.has(s.parentSpanId) ? s.parentSpanId : null;
    children.set(parent, [...(children.get(parent) ?? []), s]);
  }
  const row = (s: StoredSpan, depth: number, linked: boolean): WaterfallRow => ({
    spanId: s.spanId,
    service: s.service,
    name: s.name,
    kind: KINDS[s.kind] ?? String(s.kind),
    depth,
    offsetPercent: ((s.startUs - start) / total) * 100,
    widthPercent: Math.max(0.2, (s.durationUs / total) * 100),
    startOffsetMs: (s.startUs - start) / 1000,
    durationMs: s.durationUs / 1000,
    error: s.statusCode === 2,
    statusMessage: s.statusMessage,
    linked,
  });
  const rows: WaterfallRow[] = [];
  const visit = (parent: string | null, depth: number) => {
    for (const s of [...(children.get(parent) ?? [])].sort((a, b) => a.startUs - b.startUs)) {
      rows.push(row(s, depth, false));
      visit(s.spanId, depth + 1);
    }
  };
  visit(null, 0);
  for (const s of spans.filter((x) => x.traceId !== traceId).sort((a, b) => a.startUs - b.startUs)) rows.push(row(s, 0, true));
  return { totalMs: total / 1000, rows };
}
