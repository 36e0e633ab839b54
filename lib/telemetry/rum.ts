// Real-user monitoring: Grafana Faro payloads from the portal's pages (web vitals and other measurements,
// exceptions, logs, events, and browser spans as OTLP JSON). Stored in the telemetry database; browser
// spans join the backend's spans, so a trace by id runs from the click to the projector. Free texts are
// scrubbed of identifier-shaped strings and URLs of their query strings before they are kept.
import { z } from "zod";
import type { SqlDatabase } from "../data/sql-database.ts";
import { scrubText } from "../privacy/redact.ts";
import { SPAN_COLUMNS } from "./span-store.ts";

const Hex = (length: number) => z.string().regex(new RegExp(`^[0-9a-f]{${length}}$`), `must be ${length} lower-case hex digits`);
const TraceRef = z.object({ trace_id: Hex(32), span_id: Hex(16) }).optional();
const Timestamp = z.iso.datetime({ offset: true });
const Text = z.string().max(4000);

const OtlpValue = z.object({
  stringValue: Text.optional(),
  intValue: z.union([z.string(), z.number()]).optional(),
  doubleValue: z.number().optional(),
  boolValue: z.boolean().optional(),
});
const OtlpAttribute = z.object({ key: z.string().max(200), value: OtlpValue });
const OtlpSpan = z.object({
  traceId: Hex(32),
  spanId: Hex(16),
  parentSpanId: z.union([Hex(16), z.literal("")]).optional(),
  name: z.string().min(1).max(500),
  kind: z.number().int().min(0).max(5).default(1),
  startTimeUnixNano: z.union([z.string().regex(/^\d{1,20}$/), z.number().int().nonnegative()]),
  endTimeUnixNano: z.union([z.string().regex(/^\d{1,20}$/), z.number().int().nonnegative()]),
  attributes: z.array(OtlpAttribute).max(128).default([]),
  status: z.object({ code: z.number().int().min(0).max(2).default(0), message: Text.optional() }).optional(),
});

export const FaroPayload = z.object({
  meta: z
    .object({
      app: z.object({ name: z.string().max(200).optional(), version: z.string().max(100).optional() }).optional(),
      session: z.object({ id: z.string().max(200).optional() }).optional(),
      page: z.object({ url: z.string().max(2000).optional() }).optional(),
    })
    .optional(),
  measurements: z
    .array(z.object({ type: z.string().max(100), values: z.record(z.string().max(100), z.number()), timestamp: Timestamp, trace: TraceRef }))
    .max(500)
    .default([]),
  exceptions: z
    .array(z.object({ type: z.string().max(200), value: Text, timestamp: Timestamp, trace: TraceRef }))
    .max(100)
    .default([]),
  logs: z
    .array(z.object({ message: Text, level: z.string().max(20).default("info"), timestamp: Timestamp, trace: TraceRef }))
    .max(500)
    .default([]),
  events: z
    .array(z.object({ name: z.string().max(200), domain: z.string().max(200).optional(), timestamp: Timestamp, trace: TraceRef }))
    .max(500)
    .default([]),
  traces: z
    .object({
      resourceSpans: z
        .array(
          z.object({
            resource: z.object({ attributes: z.array(OtlpAttribute).default([]) }).optional(),
            scopeSpans: z.array(z.object({ spans: z.array(OtlpSpan).max(1000) })).max(50),
          }),
        )
        .max(20),
    })
    .optional(),
});
export type FaroPayload = z.infer<typeof FaroPayload>;

const RUM_COLUMNS = ["received_at", "occurred_at", "kind", "name", "trace_id", "span_id", "session_id", "page_url", "detail"];
/** A page URL without its query and fragment (they may carry anything the page was given). */
const pageOf = (url: string | undefined) => (url ? url.split(/[?#]/)[0]!.slice(0, 500) : null);
const microsOf = (nanos: string | number) => Number(BigInt(nanos) / 1000n);
/** A browser's string attribute, kept without a URL's query or fragment and scrubbed (decoded first). */
function cleanString(value: string): string {
  const withoutQuery = /^(https?:\/)?\//.test(value) ? value.split(/[?#]/)[0]! : value;
  let decoded = withoutQuery;
  try {
    decoded = decodeURIComponent(withoutQuery);
  } catch {
    // not URI-encoded
  }
  return scrubText(decoded);
}
const attributeValue = (v: z.infer<typeof OtlpValue>) =>
  v.stringValue !== undefined ? cleanString(v.stringValue) : v.intValue !== undefined ? Number(v.intValue) : (v.doubleValue ?? v.boolValue ?? null);

/** RUM events older than this are pruned as new ones arrive. */
export const RUM_RETENTION_DAYS = 7;

export interface RumIngested {
  events: number;
  spans: number;
}

/** Stores one payload (already parsed with FaroPayload) in one transaction. */
export async function ingestRum(db: SqlDatabase, payload: FaroPayload, receivedAt: Date): Promise<RumIngested> {
  const session = payload.meta?.session?.id ?? null;
  const page = pageOf(payload.meta?.page?.url);
  const row = (kind: string, name: string, occurredAt: string, trace: z.infer<typeof TraceRef>, detail: unknown) => [
    receivedAt.getTime(),
    occurredAt,
    kind,
    name,
    trace?.trace_id ?? null,
    trace?.span_id ?? null,
    session,
    page,
    JSON.stringify(detail),
  ];
  const rows = [
    ...payload.measurements.map((m) => row("measurement", m.type, m.timestamp, m.trace, m.values)),
    ...payload.exceptions.map((e) => row("exception", e.type, e.timestamp, e.trace, { value: scrubText(e.value) })),
    ...payload.logs.map((l) => row("log", l.level, l.timestamp, l.trace, { message: scrubText(l.message) })),
    ...payload.events.map((e) => row("event", cleanString(e.name), e.timestamp, e.trace, { domain: e.domain ?? null })),
  ];
  const spans = (payload.traces?.resourceSpans ?? []).flatMap((rs) => {
    const service = rs.resource?.attributes.find((a) => a.key === "service.name")?.value.stringValue ?? payload.meta?.app?.name ?? "browser";
    return rs.scopeSpans.flatMap((ss) =>
      ss.spans.map((s) => {
        const start = microsOf(s.startTimeUnixNano);
        return [
          s.traceId,
          s.spanId,
          s.parentSpanId || null,
          `browser:${service}`.slice(0, 200),
          cleanString(s.name),
          Math.max(0, s.kind - 1), // OTLP numbers kinds from 1 (internal); the store keeps the API's (from 0)
          start,
          Math.max(0, microsOf(s.endTimeUnixNano) - start),
          s.status?.code ?? 0,
          s.status?.message ? scrubText(s.status.message) : null,
          JSON.stringify(Object.fromEntries(s.attributes.map((a) => [a.key, attributeValue(a.value)]))),
        ];
      }),
    );
  });
  await db.transaction(async (tx) => {
    await tx.insertMany("rum_events", RUM_COLUMNS, rows);
    // A browser span never replaces a kept one (the backend's exporter replaces a browser's, see span-store).
    await tx.insertMany("spans", SPAN_COLUMNS, spans, { ignoreExisting: true });
    if (Math.random() < 0.01) await tx.execute(`DELETE FROM "rum_events" WHERE "received_at" < ?`, [receivedAt.getTime() - RUM_RETENTION_DAYS * 86_400_000]);
  });
  return { events: rows.length, spans: spans.length };
}

export interface RumEvent {
  kind: string;
  name: string;
  occurredAt: string;
  traceId: string | null;
  pageUrl: string | null;
  detail: unknown;
}

/** The RUM events recorded in a trace (the browser side of it). */
export async function rumEventsOfTrace(db: SqlDatabase, traceId: string): Promise<RumEvent[]> {
  const rows = await db.query(
    `SELECT "kind", "name", "occurred_at", "trace_id", "page_url", "detail" FROM "rum_events" WHERE "trace_id" = ? ORDER BY "occurred_at"`,
    [traceId],
  );
  return rows.map((r) => ({
    kind: String(r.kind),
    name: String(r.name),
    occurredAt: String(r.occurred_at),
    traceId: r.trace_id === null ? null : String(r.trace_id),
    pageUrl: r.page_url === null ? null : String(r.page_url),
    detail: JSON.parse(String(r.detail)),
  }));
}
