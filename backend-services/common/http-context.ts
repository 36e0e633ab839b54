// Per-request facts every lab service needs: who is calling (a verified token), the request id, the W3C
// trace context, the If-Match version and the Idempotency-Key, each parsed strictly.
import { randomFillSync, randomUUID } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Actor } from "../../lib/auth/roles.ts";
import type { TokenVerifier } from "../../lib/auth/tokens.ts";
import type { CommandReply, RequestContext } from "../../lib/commands/run-patient-command.ts";
import { LabError } from "../../lib/errors/index.ts";
import { inputError } from "../../lib/errors/problem-of.ts";
import { type Span, SpanKind, contextFromTraceparent, labTracer, traceparentOf, tracingStarted } from "../../lib/telemetry/tracing.ts";

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The request id: the caller's x-request-id when it is well formed, else a new one. */
export function requestIdFrom(headers: Record<string, string | string[] | undefined>): string {
  const given = headers["x-request-id"];
  return typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
}

export interface TraceContext {
  traceId: string;
  /** This hop's span id, and the traceparent to send downstream (and into outbox headers). */
  spanId: string;
  traceparent: string;
  parentSpanId: string | null;
}

// Trace and span ids come from a pooled random buffer: one randomBytes call per id cost more than the
// rest of the trace handling together.
const randomPool = Buffer.alloc(4096);
let randomOffset = randomPool.length;
function randomHex(bytes: number): string {
  if (randomOffset + bytes > randomPool.length) {
    randomFillSync(randomPool);
    randomOffset = 0;
  }
  randomOffset += bytes;
  return randomPool.toString("hex", randomOffset - bytes, randomOffset);
}

/** Continues the caller's W3C trace when its traceparent is valid, else starts a new trace. */
export function traceFrom(header: string | string[] | undefined): TraceContext {
  const m = typeof header === "string" ? TRACEPARENT.exec(header.trim().toLowerCase()) : null;
  const valid = m && !/^0+$/.test(m[1]!) && !/^0+$/.test(m[2]!);
  const traceId = valid ? m[1]! : randomHex(16);
  const spanId = randomHex(8);
  const flags = valid ? m[3]! : "01";
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-${flags}`, parentSpanId: valid ? m[2]! : null };
}

/**
 * The server span of a request in a tracing process, continuing the caller's valid traceparent: its ids
 * become the request's trace context (audit entries, outbox headers, the traceparent sent on). Started
 * before routing (see lab-server), so it is named by path here and by route once the response is known.
 */
export function startServerSpan(
  request: { method?: string; url?: string; headers: Record<string, string | string[] | undefined> },
  requestId: string,
): { span: Span; trace: TraceContext } | null {
  if (!tracingStarted()) return null;
  const header = request.headers.traceparent;
  const caller = typeof header === "string" ? TRACEPARENT.exec(header.trim().toLowerCase()) : null;
  const path = (request.url ?? "/").split("?")[0]!;
  const span = labTracer().startSpan(
    `${request.method} ${path}`,
    { kind: SpanKind.SERVER, attributes: { "http.request.method": request.method ?? "GET", "url.path": path, "lab.request_id": requestId } },
    contextFromTraceparent(caller ? (header as string) : null),
  );
  const c = span.spanContext();
  return { span, trace: { traceId: c.traceId, spanId: c.spanId, traceparent: traceparentOf(span), parentSpanId: caller ? caller[2]! : null } };
}

export function parseInput<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw inputError(parsed.error, where);
  return parsed.data;
}

export async function authenticate(request: FastifyRequest, tokens: TokenVerifier): Promise<Actor> {
  const header = request.headers.authorization;
  if (!header) throw new LabError("unauthenticated", "send an Authorization: Bearer <token> header", { field: "authorization" });
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m) throw new LabError("unauthenticated", "the Authorization header must be 'Bearer <token>'", { field: "authorization" });
  return tokens.verify(m[1]!);
}

/** If-Match: the version the caller last saw ("3", "W/\"3\"" or 3); required on updates. */
export function expectedVersion(request: FastifyRequest): number {
  const raw = request.headers["if-match"];
  if (raw === undefined) throw new LabError("unprocessable", "send If-Match with the version you last read", { field: "If-Match" });
  const m = typeof raw === "string" ? /^(?:W\/)?"?([1-9][0-9]{0,8})"?$/.exec(raw.trim()) : null;
  if (!m) throw new LabError("invalid", 'If-Match must be a version number such as "3"', { field: "If-Match" });
  return Number(m[1]);
}

export function idempotencyKey(request: FastifyRequest): string | null {
  const raw = request.headers["idempotency-key"];
  if (raw === undefined) return null;
  if (typeof raw !== "string" || !/^[\x21-\x7e]{1,200}$/.test(raw)) {
    throw new LabError("invalid", "Idempotency-Key must be 1 to 200 visible ASCII characters", { field: "Idempotency-Key" });
  }
  return raw;
}

declare module "fastify" {
  interface FastifyRequest {
    trace: TraceContext;
  }
}

export function commandContext(request: FastifyRequest, actor: Actor, now = new Date()): RequestContext {
  return { actor, requestId: request.id, traceparent: request.trace.traceparent, idempotencyKey: idempotencyKey(request), now };
}

/** Answers with a command's status and body, saying whether it was an Idempotency-Key replay. */
export function sendCommandReply<R>(reply: FastifyReply, r: CommandReply<R>) {
  return reply.status(r.status).header("idempotency-replayed", String(r.replayed)).send(r.body);
}
