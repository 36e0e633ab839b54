// The lab's front door (:4000): verifies the caller's token, assigns the request id and continues the
// trace, limits each persona's rate, sets security headers, finds the shard from the patient id in the
// path, and forwards to the owning service. An unknown path is a 404 and a down or slow upstream a
// 503/504 problem, never a hang.
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance } from "fastify";
import type { Actor } from "../../lib/auth/roles.ts";
import { type TokenKey, createTokenVerifier } from "../../lib/auth/tokens.ts";
import type { ShardMap } from "../../lib/data/shard-map.ts";
import { LabError } from "../../lib/errors/index.ts";
import { SpanKind, SpanStatusCode, contextOfSpan, labTracer, traceparentOf } from "../../lib/telemetry/tracing.ts";
import { authenticate } from "../common/http-context.ts";
import { createLabServer } from "../common/lab-server.ts";
import { answerNotFound, sendProblem } from "../common/problem.ts";
import { declaredRoutes } from "../common/declared-routes.ts";
import { API_ROUTES } from "../../lib/contracts/api-catalog.ts";
import { routesOf } from "../../lib/contracts/lab-routes.ts";
import type { SqlDatabase } from "../../lib/data/sql-database.ts";
import { apiDocsRoutes } from "./api-docs.ts";
import { type JourneySliOptions, installJourneySlis } from "./journey-slis.ts";
import { sloHistoryRoute } from "./slo-history-route.ts";
import { traceRoutes } from "./trace-routes.ts";
import { FailedAuthLimit } from "./failed-auth-limit.ts";
import { createUpstreamPools, forward } from "./forward.ts";
import { securityHeaders } from "./security-headers.ts";
import type { FaultSwitch } from "../../lib/faults/fault-switch.ts";
import { installFaults } from "../common/fault-hooks.ts";
import type { LoadShedding } from "../../lib/load/load-shedding.ts";
import { installLoadShedding, loadSheddingRoutes } from "./load-shedding.ts";

export interface GatewayOptions {
  tokenKey: TokenKey;
  /** The current shard map (the gateway reloads it on a timer). */
  shardMap: () => ShardMap;
  upstreams: { clinical: string; billing: string };
  timeoutMs: number;
  ratePerMinute: number;
  /** Where callers reach the gateway, for the OpenAPI document's server entry. */
  publicUrl: string;
  logLevel?: string;
  /** The telemetry store: journey SLIs rolled up there and the SLOs evaluated over them (GET /_lab/slos); traces read from it (GET /_lab/traces/:traceId). */
  slis?: JourneySliOptions & { control?: SqlDatabase };
  /** The lab's process logs (<data dir>/logs), for a trace's log lines (GET /_lab/traces/:traceId/logs). */
  logDir?: string;
  /** The gateway's fault switch (GET/PUT/DELETE /_lab/faults): its rules touch only the API it forwards. */
  faults?: FaultSwitch;
  /** The on-call lever that caps the API requests in flight (GET/PUT/DELETE /_lab/load-shedding). */
  shedding?: LoadShedding;
}

const API_PATHS = new Set(API_ROUTES.map((r) => r.path));

// The routes that answer without a token, from their declarations.
const OPEN_PATHS = new Set(
  routesOf("gateway")
    .filter((r) => r.action === "public")
    .map((r) => r.path),
);

/** The gateway passes bodies through as bytes; its own routes parse them. */
function jsonOf(body: unknown): unknown {
  if (!Buffer.isBuffer(body)) return body;
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new LabError("invalid", "the body is not valid JSON", { field: "body" });
  }
}

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

export async function buildGatewayServer(options: GatewayOptions): Promise<FastifyInstance> {
  const tokens = createTokenVerifier(options.tokenKey);
  const pools = createUpstreamPools(options.upstreams, options.timeoutMs);
  const app = createLabServer({
    name: "gateway",
    shardFromRequest: false,
    ownNotFound: true,
    logLevel: options.logLevel,
    ready: async () => {
      options.shardMap();
      for (const name of Object.keys(options.upstreams)) {
        const res = await pools.pool(name).request({ method: "GET", path: "/readyz" });
        await res.body.dump();
        if (res.statusCode !== 200) throw new Error(`${name} is not ready`);
      }
    },
  });
  app.addHook("onClose", () => pools.close());

  // Bodies pass through untouched: the services parse and validate them.
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (_request, body, done) => done(null, body));

  // Set first, so a route that needs its own (the docs page's CSP) can still override one.
  const security = securityHeaders();
  app.addHook("onRequest", async (_request, reply) => {
    reply.headers(security);
  });

  app.decorateRequest("actor", null);
  const failedAuth = new FailedAuthLimit(options.ratePerMinute);
  app.addHook("onRequest", async (request, reply) => {
    if (OPEN_PATHS.has(request.url.split("?")[0]!)) return;
    const wait = failedAuth.blockedFor(request.ip);
    if (wait > 0) {
      reply.header("retry-after", String(wait));
      throw new LabError("rate_limited", `too many requests without a valid token from this address; retry in ${wait} s`);
    }
    try {
      request.actor = await authenticate(request, tokens);
    } catch (err) {
      // Only bad tokens count towards the address's limit; an identity provider that is down is not the caller's fault.
      if (err instanceof LabError && err.code === "unauthenticated") failedAuth.fail(request.ip);
      throw err;
    }
  });

  if (options.shedding) installLoadShedding(app, options.shedding, (route) => API_PATHS.has(route));

  await app.register(rateLimit, {
    hook: "preHandler",
    max: options.ratePerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => request.actor?.userId ?? request.ip,
    allowList: (request) => OPEN_PATHS.has(request.url.split("?")[0]!),
    errorResponseBuilder: (_request, context) =>
      new LabError("rate_limited", `rate limit of ${context.max} requests per minute reached; retry in ${Math.ceil(context.ttl / 1000)} s`),
  });

  // An unknown path counts toward the caller's rate like any other: probing for routes is not free.
  app.setNotFoundHandler({ preHandler: app.rateLimit() }, answerNotFound);

  // The gateway knows its caller from the onRequest hook above; its own routes read bodies from the bytes.
  const routes = declaredRoutes(app, { tokens, knownActor: (request) => request.actor, decodeBody: jsonOf });
  apiDocsRoutes(routes, options.publicUrl);
  if (options.shedding) loadSheddingRoutes(routes, options.shedding);
  if (options.faults)
    installFaults(app, routes, {
      faults: options.faults,
      shardMap: options.shardMap,
      personaOf: async (request) => request.actor?.role ?? null,
      applies: (route) => API_PATHS.has(route),
    });
  if (options.slis) {
    const { report } = installJourneySlis(app, routes, options.slis);
    sloHistoryRoute(routes, { ...options.slis, report });
    traceRoutes(routes, options.slis.store, options.logDir ?? null);
  }

  // The API's route table is its catalog: each route forwarded to the service that owns it, any other path
  // a 404 before an upstream is called.
  for (const api of API_ROUTES) {
    routes.forward(api, async ({ request, reply }) => {
      const upstream = api.process;
      const patientId = (request.params as { patientId?: string }).patientId ?? null;
      const shard = patientId ? options.shardMap().shardOf(patientId) : null;
      // The call upstream is a client span under the request's server span (when this process traces).
      const call = request.span
        ? labTracer().startSpan(
            `${request.method} ${api.path}`,
            { kind: SpanKind.CLIENT, attributes: { "server.address": upstream, "lab.shard": shard ?? -1 } },
            contextOfSpan(request.span),
          )
        : null;
      const res = await forward(
        pools.pool(upstream),
        upstream,
        { method: request.method, url: request.url, headers: request.headers, body: request.body as Buffer | undefined },
        { requestId: request.id, traceparent: call ? traceparentOf(call) : request.trace.traceparent, shard, deadlineMs: options.timeoutMs },
      );
      if (call) {
        call.setAttribute("http.response.status_code", res.status || (Buffer.isBuffer(res.body) ? 0 : res.body.status));
        if (!Buffer.isBuffer(res.body)) call.setStatus({ code: SpanStatusCode.ERROR, message: res.body.detail });
        call.end();
      }
      reply.header("x-lab-upstream", upstream);
      if (shard !== null) reply.header("x-lab-shard", String(shard));
      request.log.info({ route: api.path, upstream, shard, upstreamStatus: res.status }, "forwarded");
      if (Buffer.isBuffer(res.body)) return reply.status(res.status).headers(res.headers).send(res.body);
      return sendProblem(reply, res.body, request.id);
    });
  }
  return app;
}
