// Spans kept in the telemetry database for the portal's trace view: an OpenTelemetry span exporter that
// writes ended spans (and their links) in batches, and the read of one trace by id, including the relay's
// and projector's spans that link to it (they carry many requests' events, so they link rather than nest).
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace";
import type { SqlDatabase } from "../data/sql-database.ts";

/** The span store's columns, in the order every writer (the exporter, RUM intake) inserts them. */
export const SPAN_COLUMNS = [
  "trace_id",
  "span_id",
  "parent_span_id",
  "service",
  "name",
  "kind",
  "start_us",
  "duration_us",
  "status_code",
  "status_message",
  "attributes",
];
const LINK_COLUMNS = ["linked_trace_id", "linked_span_id", "trace_id", "span_id"];

/** Spans older than this are pruned as new ones arrive. */
export const SPAN_RETENTION_HOURS = 24;

const micros = ([s, ns]: [number, number]) => s * 1_000_000 + Math.round(ns / 1000);

export class LocalSpanExporter implements SpanExporter {
  private exports = 0;

  constructor(private readonly db: SqlDatabase) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.write(spans).then(
      () => done({ code: ExportResultCode.SUCCESS }),
      (error: Error) => done({ code: ExportResultCode.FAILED, error }),
    );
  }

  private async write(spans: ReadableSpan[]): Promise<void> {
    const rows = spans.map((s) => {
      const ctx = s.spanContext();
      return [
        ctx.traceId,
        ctx.spanId,
        s.parentSpanContext?.spanId ?? null,
        String(s.resource.attributes["service.name"] ?? "unknown"),
        s.name,
        s.kind,
        micros(s.startTime),
        micros(s.duration),
        s.status.code,
        s.status.message ?? null,
        JSON.stringify(s.attributes),
      ];
    });
    const links = spans.flatMap((s) => s.links.map((l) => [l.context.traceId, l.context.spanId, s.spanContext().traceId, s.spanContext().spanId]));
    await this.db.transaction(async (tx) => {
      // The lab's own span wins over anything stored under its ids before (a browser may send any ids).
      // Keyed by trace id first, so the primary key finds the candidates (a row-value IN scanned the table).
      const traces = [...new Set(rows.map((r) => r[0]))];
      const spanIds = rows.map((r) => r[1]);
      await tx.execute(
        `DELETE FROM "spans" WHERE "trace_id" IN (${traces.map(() => "?").join(", ")}) AND "span_id" IN (${spanIds.map(() => "?").join(", ")}) AND "service" LIKE 'browser:%'`,
        [...traces, ...spanIds],
      );
      await tx.insertMany("spans", SPAN_COLUMNS, rows, { ignoreExisting: true });
      await tx.insertMany("span_links", LINK_COLUMNS, links, { ignoreExisting: true });
      // Retention, every hundred exports: the local store is for recent traces, not an archive.
      if (++this.exports % 100 === 1) {
        const cutoff = (Date.now() - SPAN_RETENTION_HOURS * 3_600_000) * 1000;
        await tx.execute(`DELETE FROM "span_links" WHERE "trace_id" IN (SELECT "trace_id" FROM "spans" WHERE "start_us" < ?)`, [cutoff]);
        await tx.execute(`DELETE FROM "spans" WHERE "start_us" < ?`, [cutoff]);
      }
    });
  }

  async shutdown(): Promise<void> {}
}

export interface StoredSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  service: string;
  name: string;
  kind: number;
  startUs: number;
  durationUs: number;
  statusCode: number;
  statusMessage: string | null;
  attributes: Record<string, unknown>;
  /** For a span of another trace: which spans of this trace it links to. */
  linksTo: string[];
}

/** One trace's spans by start time, with the spans of other traces that link to it. */
export async function readTrace(db: SqlDatabase, traceId: string): Promise<StoredSpan[]> {
  const own = await db.query(`SELECT ${SPAN_COLUMNS.map((c) => `"${c}"`).join(", ")} FROM "spans" WHERE "trace_id" = ?`, [traceId]);
  const linked = await db.query(
    `SELECT ${SPAN_COLUMNS.map((c) => `s."${c}"`).join(", ")}, l."linked_span_id" AS "links_to" FROM "span_links" l JOIN "spans" s ON s."trace_id" = l."trace_id" AND s."span_id" = l."span_id" WHERE l."linked_trace_id" = ?`,
    [traceId],
  );
  const spans = new Map<string, StoredSpan>();
  for (const row of [...own, ...linked]) {
    const key = `${row.trace_id} ${row.span_id}`;
    const span = spans.get(key) ?? {
      traceId: String(row.trace_id),
      spanId: String(row.span_id),
      parentSpanId: row.parent_span_id === null ? null : String(row.parent_span_id),
      service: String(row.service),
      name: String(row.name),
      kind: Number(row.kind),
      startUs: Number(row.start_us),
      durationUs: Number(row.duration_us),
      statusCode: Number(row.status_code),
      statusMessage: row.status_message === null ? null : String(row.status_message),
      attributes: JSON.parse(String(row.attributes)) as Record<string, unknown>,
      linksTo: [],
    };
    if (row.links_to !== undefined) span.linksTo.push(String(row.links_to));
    spans.set(key, span);
  }
  return [...spans.values()].sort((a, b) => a.startUs - b.startUs);
}

/**
 * The spans of the lab's own controls (ADR 0023): the drill engine's and the supervisor's, and any request
 * to a control route (drills, scenarios, faults, processes, leases, traffic, data jobs). A trace that holds
 * one is the controls' own: whoever may not see them (the on-call player) is shown none of it.
 */
const CONTROL_SERVICES = ["drill-engine", "supervisor"];
const CONTROL_ROUTES = [
  "/_lab/drills",
  "/_lab/scenarios",
  "/_lab/faults",
  "/_lab/events/faults",
  "/_lab/processes",
  "/_lab/leases",
  "/_lab/emergency-stop",
  "/_lab/traffic",
  "/_lab/jobs",
];

export function isControlSpan(span: Pick<StoredSpan, "service" | "name">): boolean {
  return CONTROL_SERVICES.includes(span.service) || CONTROL_ROUTES.some((r) => span.name.includes(` ${r}`));
}

/** SQL for "span `alias` is a control span", with its parameters (the same test as isControlSpan). */
function controlSpanSql(alias: string): { sql: string; params: string[] } {
  const names = CONTROL_ROUTES.map(() => `${alias}."name" LIKE ? ESCAPE '\\'`);
  return {
    sql: `(${alias}."service" IN (${CONTROL_SERVICES.map(() => "?").join(", ")}) OR ${names.join(" OR ")})`,
    params: [...CONTROL_SERVICES, ...CONTROL_ROUTES.map((r) => `% ${r.replaceAll("_", "\\_")}%`)],
  };
}

/** A W3C trace id as the store keeps it: 32 lower-case hex digits. */
export const TRACE_ID = /^[0-9a-f]{32}$/;

export interface TraceSummary {
  traceId: string;
  /** The request's own span: a journey's several requests share one trace. */
  spanId: string;
  name: string;
  startedAt: string;
  durationMs: number;
  /** Some span of the trace ended in error (OTel status ERROR). */
  error: boolean;
}

/**
 * The newest requests the gateway served whose traces are kept (its SERVER spans: every request the portal
 * or the simulator sends enters there), one per request, newest first; `errorsOnly` keeps those with a failed span,
 * `minDurationMs` the slow ones.
 */
export async function recentTraces(
  db: SqlDatabase,
  options: { limit: number; errorsOnly?: boolean; minDurationMs?: number; sinceUs?: number; withoutControls?: boolean },
): Promise<TraceSummary[]> {
  const since = options.sinceUs ?? (Date.now() - SPAN_RETENTION_HOURS * 3_600_000) * 1000;
  const failed = `EXISTS (SELECT 1 FROM "spans" f WHERE f."trace_id" = s."trace_id" AND f."status_code" = 2)`;
  const control = controlSpanSql("c");
  const withoutControls = options.withoutControls ? ` AND NOT EXISTS (SELECT 1 FROM "spans" c WHERE c."trace_id" = s."trace_id" AND ${control.sql})` : "";
  const rows = await db.query<Record<string, unknown>>(
    `SELECT s."trace_id", s."span_id", s."name", s."start_us", s."duration_us", ${failed} AS "failed" FROM "spans" s ` +
      `WHERE s."service" = 'gateway' AND s."kind" = 1 AND s."start_us" >= ? AND s."duration_us" >= ?${options.errorsOnly ? ` AND ${failed}` : ""}${withoutControls} ` +
      `ORDER BY s."start_us" DESC LIMIT ?`,
    [since, Math.round((options.minDurationMs ?? 0) * 1000), ...(options.withoutControls ? control.params : []), options.limit],
  );
  return rows.map((r) => ({
    traceId: String(r.trace_id),
    spanId: String(r.span_id),
    name: String(r.name),
    startedAt: new Date(Number(r.start_us) / 1000).toISOString(),
    durationMs: Number(r.duration_us) / 1000,
    error: Boolean(Number(r.failed)),
  }));
}
