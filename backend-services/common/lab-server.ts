// The Fastify base every lab service starts from: strict JSON bodies of bounded size, request ids and
// trace context, problem bodies, liveness and readiness, and a shutdown that drains in-flight requests.
import type { IncomingMessage } from "node:http";
import Fastify, { type FastifyInstance, type FastifyReply, LogController } from "fastify";
import type { LabProcess, LabRoute } from "../../lib/contracts/lab-route.ts";
import { routeKey, routesOf } from "../../lib/contracts/lab-routes.ts";
import { probeRoutes } from "../../lib/contracts/routes/service-routes.ts";
import { redactForLog } from "../../lib/privacy/redact.ts";
import { type LabMetrics, createLabMetrics } from "../../lib/telemetry/metrics.ts";
import { type Span, SpanStatusCode } from "../../lib/telemetry/tracing.ts";
import { installProblemHandler } from "./problem.ts";
import { type TraceContext, requestIdFrom, startServerSpan, traceFrom } from "./http-context.ts";

declare module "fastify" {
  interface FastifyInstance {
    servedRoutes: readonly string[];
    metrics: LabMetrics;
  }
  interface FastifyRequest {
    /** This request's server span, when the process traces (startTracing). */
    span: Span | null;
    /** The route pattern to label this request with, when it is not the Fastify route (the gateway's catch-all). */
    labRoute: string | null;
  }
}

// Not part of any API: health, readiness and the metrics scrape.
const OPERATIONAL = new Set(["/healthz", "/readyz", "/metrics"]);

export interface LabServerOptions {
  /** The process: the routes it may serve are those declared for it (lib/contracts/lab-routes.ts). */
  name: LabProcess;
  bodyLimitBytes?: number;
  logLevel?: string;
  /** Whether a request's x-lab-shard header (set by the gateway) labels its metrics; not at the gateway itself. */
  shardFromRequest?: boolean;
  /** Readiness: resolves when the service's dependencies answer. */
  ready: () => Promise<void>;
  /** Log lines go to this file (appended) instead of stdout: the supervisor's stdout is the lab's terminal. */
  logFile?: string;
  /** The process sets its own not-found handler (the gateway's is rate-limited like every other path). */
  ownNotFound?: boolean;
}

// The trace a request belongs to, worked out when Fastify makes the request's logger (see childLoggerFactory).
const REQUEST_TRACE = Symbol("lab.requestTrace");
type TracedMessage = IncomingMessage & { [REQUEST_TRACE]?: { span: Span | null; trace: TraceContext } };

export function createLabServer(options: LabServerOptions): FastifyInstance {
  const app = Fastify({
    bodyLimit: options.bodyLimitBytes ?? 64 * 1024,
    genReqId: (req) => requestIdFrom(req.headers),
    logger: {
      level: options.logLevel ?? "info",
      ...(options.logFile ? { file: options.logFile } : {}),
      base: { service: options.name },
      redact: { paths: ["req.headers.authorization"], censor: "[redacted]" },
      // Whatever a line is given, fields named like PHI or clear identifiers are hidden (lib/privacy).
      formatters: { log: (object) => redactForLog(object) as Record<string, unknown> },
    },
    // Our onResponse hook writes one line per request, with the trace id; Fastify's own two lines are off.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: "requestId" }),
    // Every line a request logs carries its trace and span ids, bound in the one child logger Fastify makes
    // per request (a second child per request cost more than the rest of the logging).
    childLoggerFactory: (logger, bindings, childOptions, raw) => {
      const message = raw as TracedMessage;
      const requestId = String((bindings as Record<string, unknown>).requestId);
      const started = startServerSpan(message, requestId);
      const trace = started?.trace ?? traceFrom(message.headers.traceparent);
      message[REQUEST_TRACE] = { span: started?.span ?? null, trace };
      return logger.child({ ...bindings, traceId: trace.traceId, spanId: trace.spanId }, childOptions);
    },
    return503OnClosing: true,
    forceCloseConnections: "idle",
  });
  // What the service serves, for its API catalogue test.
  const served: string[] = [];
  app.decorate("servedRoutes", served);
  const declared = new Map(routesOf(options.name).map((r) => [routeKey(r), r]));
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) {
      // Every route comes from its declaration, so who may call it is said in one place (declared-routes.ts).
      const declaration = (route.config as { declared?: LabRoute } | undefined)?.declared;
      if (method !== "HEAD" && (!declaration || routeKey(declaration) !== `${method} ${route.url}` || declared.get(routeKey(declaration)) === undefined)) {
        throw new Error(`${options.name}: ${method} ${route.url} is not served from a declaration of the ${options.name} process in lib/contracts`);
      }
      // The health endpoints and the internal control API (/_lab/...) are not part of the public API.
      if (method !== "HEAD" && !OPERATIONAL.has(route.url) && !route.url.startsWith("/_lab/")) served.push(`${method} ${route.url}`);
    }
  });
  // JSON only: a text/plain body is a 415, not a string handed to the route.
  app.removeContentTypeParser("text/plain");
  app.decorateRequest("trace", null as never);
  app.decorateRequest("labRoute", null);
  app.decorateRequest("span", null);
  app.addHook("onRequest", async (request, reply) => {
    const started = (request.raw as TracedMessage)[REQUEST_TRACE] ?? { span: null, trace: traceFrom(request.headers.traceparent) };
    request.span = started.span;
    request.trace = started.trace;
    reply.header("x-request-id", request.id);
  });
  const metrics = createLabMetrics(options.name);
  app.decorate("metrics", metrics);
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url;
    if (request.span) {
      request.span.setAttribute("http.response.status_code", reply.statusCode);
      const labelled = request.labRoute ?? route;
      if (labelled) {
        request.span.updateName(`${request.method} ${labelled}`);
        request.span.setAttribute("http.route", labelled);
      }
      if (reply.statusCode >= 500) request.span.setStatus({ code: SpanStatusCode.ERROR });
      request.span.end();
    }
    if (route !== "/metrics") {
      // The gateway labels the shard it chose; a service the one the gateway told it, if it looks like one
      // (a caller's made-up header must not mint new series).
      const told = options.shardFromRequest === false ? undefined : request.headers["x-lab-shard"];
      const shard = reply.getHeader("x-lab-shard") ?? (typeof told === "string" && /^\d{1,2}$/.test(told) ? told : "");
      metrics.httpServerDuration.observe(
        {
          http_request_method: request.method,
          http_route: request.labRoute ?? route ?? "unmatched",
          http_response_status_code: reply.statusCode,
          shard: String(shard),
        },
        reply.elapsedTime / 1000,
      );
    }
    request.log.info({ method: request.method, route: request.routeOptions.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, "request");
  });
  // Draining: once close() has begun, answers ask keep-alive clients to hang up, so the server can finish
  // (return503OnClosing refuses new requests meanwhile).
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.addHook("onSend", async (_request, reply) => {
    if (closing) reply.header("connection", "close");
  });
  installProblemHandler(app, { notFound: !options.ownNotFound });
  const probes = probeRoutes(options.name);
  const probe = (r: LabRoute, handler: (reply: FastifyReply) => Promise<unknown>) =>
    app.route({ method: r.method, url: r.path, config: { declared: r }, handler: (_request, reply) => handler(reply) });
  probe(probes.healthz, async () => ({ status: "ok", service: options.name }));
  // Scraped by Prometheus on the lab's loopback address; it holds counts and timings, never record data.
  probe(probes.metrics, async (reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
  probe(probes.readyz, async (reply) => {
    try {
      await options.ready();
      return { status: "ready", service: options.name };
    } catch {
      return reply.status(503).send({ status: "unavailable", service: options.name });
    }
  });
  return app;
}

/**
 * Under a crash loop (the supervisor's LAB_CRASH_AFTER_SECONDS on this start), the process dies that long
 * after it listens, as a release that fails soon after start-up does: a fatal line in its log, exit 1, no
 * drain. The supervisor's restart policy then backs off and, after enough crashes, gives up.
 */
export function crashAfterListening(app: FastifyInstance, seconds: number | null): void {
  if (seconds === null) return;
  app.log.warn({ crashAfterSeconds: seconds }, "started under a crash loop");
  setTimeout(() => {
    app.log.fatal(
      { err: { type: "StartupError", message: "the process's start-up state is invalid" }, crashAfterSeconds: seconds },
      "uncaught exception, exiting",
    );
    process.exit(1);
  }, seconds * 1000);
}

/** Stops accepting, lets in-flight requests finish, then runs `cleanup`; a second signal forces exit. */
export function closeOnSignals(app: FastifyInstance, cleanup: () => Promise<void>): void {
  let closing = false;
  const close = async (signal: string) => {
    if (closing) process.exit(1);
    closing = true;
    app.log.info({ signal }, "draining");
    await app.close();
    await cleanup();
    process.exit(0);
  };
  process.once("SIGTERM", () => void close("SIGTERM"));
  process.once("SIGINT", () => void close("SIGINT"));
}

/** Readiness of a service that works on the lab's databases: the control database and every shard answer. */
export function databasesAnswer(lab: {
  control: { sql: { query(sql: string): Promise<unknown> } };
  shards: { sql: { query(sql: string): Promise<unknown> } }[];
}) {
  return async () => {
    await Promise.all([lab.control.sql.query("SELECT 1"), ...lab.shards.map((s) => s.sql.query("SELECT 1"))]);
  };
}
