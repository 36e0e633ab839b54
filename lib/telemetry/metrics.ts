// Prometheus metrics of a lab process (prom-client): process and runtime metrics, HTTP server RED metrics
// named after the OpenTelemetry semantic conventions (http.server.request.duration in seconds, labelled
// by method, route and status code, and shard where the gateway knows it), and the journeys' SLI counters
// the generated SLO rules read.
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { LATENCY_BUCKETS_MS } from "../slo/openslo-schema.ts";
import { JOURNEY_DURATION_METRIC, JOURNEY_REQUESTS_METRIC } from "../slo/prometheus-rules.ts";
import type { SliSource } from "../slo/sli-recorder.ts";

const SECONDS = LATENCY_BUCKETS_MS.map((ms) => ms / 1000);

export interface LabMetrics {
  registry: Registry;
  httpServerDuration: Histogram<"http_request_method" | "http_route" | "http_response_status_code" | "shard">;
  journeyRequests: Counter<"journey" | "source" | "outcome">;
  journeyDuration: Histogram<"journey" | "source">;
  /** The simulator's warm-up requests after a lab start: counted, labelled, and apart from the SLIs. */
  warmupRequests: Counter<"journey" | "outcome">;
}

export function createLabMetrics(service: string): LabMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpServerDuration: new Histogram({
      name: "http_server_request_duration_seconds",
      help: "Duration of HTTP server requests (OpenTelemetry http.server.request.duration).",
      labelNames: ["http_request_method", "http_route", "http_response_status_code", "shard"],
      buckets: [0.005, 0.01, ...SECONDS],
      registers: [registry],
    }),
    journeyRequests: new Counter({
      name: JOURNEY_REQUESTS_METRIC,
      help: "Requests of each persona journey by outcome (SLI).",
      labelNames: ["journey", "source", "outcome"],
      registers: [registry],
    }),
    journeyDuration: new Histogram({
      name: JOURNEY_DURATION_METRIC,
      help: "Latency of each persona journey's requests (SLI).",
      labelNames: ["journey", "source"],
      buckets: SECONDS,
      registers: [registry],
    }),
    warmupRequests: new Counter({
      name: "pimlab_warmup_requests_total",
      help: "The simulator's warm-up requests after a lab start, by journey and outcome (not part of any SLI).",
      labelNames: ["journey", "outcome"],
      registers: [registry],
    }),
  };
}

/** One journey outcome into the SLI counters. */
export function countJourney(metrics: LabMetrics, journey: string, source: SliSource, ok: boolean, latencyMs: number): void {
  metrics.journeyRequests.inc({ journey, source, outcome: ok ? "success" : "error" });
  metrics.journeyDuration.observe({ journey, source }, latencyMs / 1000);
}
