// The gateway's own routes (:4000), beside the API it forwards (../api-catalog.ts): the SLOs, one SLO's
// history, the client-side journey outcomes, the traces and their log lines, load shedding, and the API's
// documents.
import { z } from "zod";
import { LoadSheddingInput, type LoadSheddingStatus } from "../../load/load-shedding.ts";
import { JOURNEYS } from "../../slo/journeys.ts";
import type { SloHistory } from "../../slo/slo-history.ts";
import type { SloReport, SloSummary } from "../../slo/slo-status.ts";
import { type StoredSpan, TRACE_ID, type TraceSummary } from "../../telemetry/span-store.ts";
import { LOG_LEVELS } from "../../telemetry/log-levels.ts";
import type { TraceLogLine } from "../../telemetry/trace-logs.ts";
import { route, servedBy } from "../lab-route.ts";

export const ClientOutcomes = z.strictObject({
  outcomes: z
    .array(
      z.strictObject({
        journey: z.enum(JOURNEYS.filter((j) => !j.probed).map((j) => j.id) as [string, ...string[]]), // a probed journey is the gateway's own count
        /** When the journey finished, as the client's clock saw it. */
        at: z.iso.datetime({ offset: true }),
        ok: z.boolean(),
        latencyMs: z.number().min(0).max(600_000),
      }),
    )
    .min(1)
    .max(10_000),
});
const SloParams = z.strictObject({ name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,119}$/, "must be an SLO's name") });
const HistoryQuery = z.strictObject({ minutes: z.coerce.number().int().min(5).max(1440).default(180) });
const TraceParams = z.strictObject({ traceId: z.string().regex(TRACE_ID, "must be 32 lower-case hex digits (a W3C trace id)") });
const RecentTracesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  errors: z.enum(["true", "false"]).default("false"),
  minMs: z.coerce.number().min(0).max(600_000).default(0),
});
const LogSearchQuery = z.strictObject({
  traceId: z.string().regex(TRACE_ID, "must be 32 lower-case hex digits (a W3C trace id)").optional(),
  process: z
    .string()
    .regex(/^[a-z][a-z-]{0,39}$/, "must be a process's name, such as clinical")
    .optional(),
  level: z.enum(LOG_LEVELS).optional(),
  text: z.string().trim().min(1).max(200).optional(),
  sinceMinutes: z.coerce.number().int().min(1).max(1440).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

type SloStatusRow = SloReport["slos"][number];

/** One SLO's last minutes for its detail charts: budget and burn, alert transitions, its other side, and the drills and scenarios of those minutes. */
export interface SloDetail {
  slo: SloSummary;
  budgetRemaining: number | null;
  tiers: SloStatusRow["tiers"];
  transitions: SloStatusRow["transitions"];
  noData: SloStatusRow["noData"];
  history: SloHistory;
  counterpart: { name: string; displayName: string; source: string; history: SloHistory } | null;
  annotations: { at: string; endAt: string | null; kind: string; title: string; drillRunId: string | null; status: string | null }[];
}

export const GATEWAY_ROUTES = servedBy("gateway", {
  slos: route<SloReport>()({
    at: "GET /_lab/slos",
    action: "ops.read",
    summary: "Every SLO: budget left, burn rates, alerts",
  }),
  sloHistory: route<SloDetail>()({
    at: "GET /_lab/slos/:name/history",
    action: "ops.read",
    params: SloParams,
    query: HistoryQuery,
    summary: "One SLO minute by minute, with its alerts and drills",
  }),
  reportSlis: route<{ accepted: number }>()({
    at: "POST /_lab/slis",
    action: "sli.ingest",
    body: ClientOutcomes,
    status: 202,
    summary: "Client-side journey outcomes (the simulator's, the portal's)",
  }),
  traces: route<{ traces: TraceSummary[] }>()({
    at: "GET /_lab/traces",
    action: "ops.read",
    query: RecentTracesQuery,
    summary: "The newest traces through the gateway",
  }),
  trace: route<{ traceId: string; services: string[]; spans: StoredSpan[] }>()({
    at: "GET /_lab/traces/:traceId",
    action: "ops.read",
    params: TraceParams,
    summary: "One trace across the lab's processes",
  }),
  traceLogs: route<{ traceId: string; lines: TraceLogLine[] }>()({
    at: "GET /_lab/traces/:traceId/logs",
    action: "ops.read",
    params: TraceParams,
    summary: "A trace's lines in the process logs",
  }),
  logs: route<{ lines: TraceLogLine[] }>()({
    at: "GET /_lab/logs",
    action: "ops.read",
    query: LogSearchQuery,
    summary: "The newest lines of the process logs, by trace, process, least level and text",
  }),
  loadShedding: route<LoadSheddingStatus>()({
    at: "GET /_lab/load-shedding",
    action: "ops.read",
    summary: "The gateway's load shedding: the cap on requests in flight, and how many it shed",
  }),
  shedLoad: route<LoadSheddingStatus>()({
    at: "PUT /_lab/load-shedding",
    action: "traffic.shed",
    body: LoadSheddingInput,
    summary: "Shed load: answer 503 to API requests beyond a number in flight, until a deadline",
  }),
  stopShedding: route<LoadSheddingStatus>()({
    at: "DELETE /_lab/load-shedding",
    action: "traffic.shed",
    summary: "Stop shedding load",
  }),
  openApi: route<Record<string, unknown>>()({
    at: "GET /openapi.json",
    action: "public",
    summary: "The API's OpenAPI document",
  }),
  apiDocs: route<string>()({ at: "GET /docs", action: "public", summary: "The API's reference page" }),
});
