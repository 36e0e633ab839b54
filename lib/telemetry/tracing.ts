// OpenTelemetry tracing for a lab process: the SDK's tracer provider with W3C trace context, spans
// exported to the local span store (the portal's trace view) and, when configured, over OTLP/HTTP.
// The lab creates its spans where it owns the boundary (each service's server span, the gateway's call
// upstream, each shard transaction, the relay's publish and the projector's apply), with the trace context
// it already carries in requests and event headers (ADR 0009). Parents are always passed explicitly: no
// async-context manager is installed, because one costs every promise of every request (ADR 0015).
import { type Context, type Link, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, type Tracer, propagation, trace } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  SamplingDecision,
  type SpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import type { SqlDatabase } from "../data/sql-database.ts";
import { LocalSpanExporter } from "./span-store.ts";

export interface LabTracing {
  tracer: Tracer;
  /** Exports what is buffered (tests, and before a process exits). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

let installed: TracerProvider | null = null;

/**
 * For spans that start a trace: recorded when they link to a recorded span (a relay or projector batch
 * carrying a sampled request's event, so that request's trace finds it), else at the ratio.
 */
function linkAwareSampler(ratio: number): Sampler {
  const byRatio = new TraceIdRatioBasedSampler(ratio);
  return {
    shouldSample(ctx, traceId, name, kind, attributes, links) {
      if (links.some((l) => (l.context.traceFlags & 1) === 1)) return { decision: SamplingDecision.RECORD_AND_SAMPLED };
      return byRatio.shouldSample(ctx, traceId);
    },
    toString: () => `LinkAware{${byRatio.toString()}}`,
  };
}

/** Installs the process's tracer provider; one per process (a second call replaces the first's). */
export function startTracing(service: string, options: { store?: SqlDatabase; otlpEndpoint?: string | null; sampleRatio?: number }): LabTracing {
  const spanProcessors: SpanProcessor[] = [];
  if (options.store)
    spanProcessors.push(
      new BatchSpanProcessor({ exporter: new LocalSpanExporter(options.store), scheduledDelayMillis: 500, maxQueueSize: 20_000, maxExportBatchSize: 256 }),
    );
  if (options.otlpEndpoint)
    spanProcessors.push(new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${options.otlpEndpoint.replace(/\/$/, "")}/v1/traces` }) }));
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": service, "service.namespace": "pim-sre-lab" }),
    sampler: new ParentBasedSampler({ root: linkAwareSampler(options.sampleRatio ?? 1) }),
    spanProcessors,
  });
  if (!installed) propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.disable();
  trace.setGlobalTracerProvider(provider);
  installed = provider;
  return {
    tracer: provider.getTracer("pim-sre-lab"),
    flush: () => provider.forceFlush(),
    async shutdown() {
      await provider.shutdown();
      if (installed === provider) {
        trace.disable(); // later spans are no-ops, not spans of a provider that exports nothing
        installed = null;
      }
    },
  };
}

/** The tracer of the installed provider (a no-op tracer before startTracing). */
export function labTracer(): Tracer {
  return trace.getTracer("pim-sre-lab");
}

/** The context a W3C traceparent header names (the root context when absent or malformed). */
export function contextFromTraceparent(traceparent: string | undefined | null): Context {
  return traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
}

/**
 * Links to the traces that produced a batch's events (their traceparent headers): a relay or projector
 * span carries many requests' events, so it links to them rather than joining one. At most `max`, distinct.
 */
export function linksTo(traceparents: readonly (string | null | undefined)[], max = 128): Link[] {
  const seen = new Set<string>();
  const links: Link[] = [];
  for (const tp of traceparents) {
    if (!tp || seen.has(tp) || links.length >= max) continue;
    seen.add(tp);
    const spanContext = trace.getSpanContext(contextFromTraceparent(tp));
    if (spanContext) links.push({ context: spanContext });
  }
  return links;
}

/** What a span of one batch of events on a bus says: the relay's publish or the projector's processing of it. */
export interface EventBatch {
  operation: "publish" | "process";
  /** The bus ("embedded", "kafka"). */
  system: string;
  topic: string;
  /** The traceparent header of each event of the batch. */
  traceparents: readonly (string | null | undefined)[];
  attributes: Record<string, string | number | boolean>;
}

/**
 * Runs `fn` in the span of a batch of events: a trace of its own (a batch carries many requests' events)
 * that links to the traces of its events, with OpenTelemetry's messaging attributes.
 */
export function inEventBatchSpan<T>(batch: EventBatch, fn: (span: Span) => Promise<T>): Promise<T> {
  return inSpan(
    `${batch.topic} ${batch.operation}`,
    {
      kind: batch.operation === "publish" ? SpanKind.PRODUCER : SpanKind.CONSUMER,
      parent: ROOT_CONTEXT,
      links: linksTo(batch.traceparents),
      attributes: {
        "messaging.system": batch.system,
        "messaging.destination.name": batch.topic,
        "messaging.batch.message_count": batch.traceparents.length,
        ...batch.attributes,
      },
    },
    fn,
  );
}

/** A context whose active span is `span`: the parent for its children. */
export function contextOfSpan(span: Span): Context {
  return trace.setSpan(ROOT_CONTEXT, span);
}

/** The traceparent header for a span: its trace, itself as the parent, its sampling flag. */
export function traceparentOf(span: Span): string {
  const c = span.spanContext();
  return `00-${c.traceId}-${c.spanId}-${(c.traceFlags & 1) === 1 ? "01" : "00"}`;
}

/** Runs `fn` in a span under `parent` (a new trace without one), ending it with an error status when `fn` throws. */
export async function inSpan<T>(
  name: string,
  options: { kind?: SpanKind; parent?: Context; attributes?: Record<string, string | number | boolean>; links?: Link[] },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const span = labTracer().startSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes, links: options.links },
    options.parent ?? ROOT_CONTEXT,
  );
  try {
    return await fn(span);
  } catch (err) {
    span.recordException(err as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
    throw err;
  } finally {
    span.end();
  }
}

/** Whether this process installed a tracer provider (without one, spans are no-ops). */
export function tracingStarted(): boolean {
  return installed !== null;
}

export { ROOT_CONTEXT, SpanKind, SpanStatusCode };
export type { Span };
