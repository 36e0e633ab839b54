// One place per server that turns failures into RFC 9457 problem bodies: expected failures (LabError, zod)
// as 4xx naming the field, Fastify's own request errors (bad JSON, media type, size) likewise, and anything
// else as a 500 that leaks nothing but the request id.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ZodError } from "zod";
import { LabError } from "../../lib/errors/index.ts";

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  field?: string;
  requestId?: string;
}

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Unauthenticated",
  403: "Forbidden",
  404: "Not found",
  409: "Conflict",
  413: "Payload too large",
  415: "Unsupported media type",
  422: "Unprocessable request",
  428: "Precondition required",
  429: "Too many requests",
  500: "Internal error",
  502: "Bad gateway",
  503: "Unavailable",
  504: "Gateway timeout",
};

export function problem(status: number, detail: string, field?: string): Problem {
  return { type: `https://pim-sre.lab/problems/${status}`, title: TITLES[status] ?? "Error", status, detail, ...(field ? { field } : {}) };
}

function fromZod(err: ZodError, where: string): Problem {
  const issue = err.issues[0]!;
  const path = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]] : issue.path;
  const field = path.length ? path.map(String).join(".") : where;
  const detail = issue.code === "unrecognized_keys" ? `unknown field ${field}` : `${field}: ${issue.message}`;
  return problem(400, detail, field);
}

/** Zod errors carry where the value came from: body, query, params or a header. */
export class InputError extends Error {
  constructor(
    readonly zod: ZodError,
    readonly where: string,
  ) {
    super(zod.message);
  }
}

export function toProblem(err: unknown): Problem | null {
  if (err instanceof LabError && err.code !== "setup") return problem(err.status, err.message, err.field);
  const injected = (err as { injectedStatus?: number }).injectedStatus;
  if (injected) return problem(injected, `injected fault: ${(err as Error).message.replace(/^injected fault /, "rule ")}`);
  if (err instanceof InputError) return fromZod(err.zod, err.where);
  if (err instanceof ZodError) return fromZod(err, "body");
  // A unique index refused the write (a race the domain check could not see): a conflict, not a crash.
  const prismaError = err as { code?: string; meta?: { target?: unknown } };
  // A transaction that could not start or finish in time (a busy shard): try again, not a crash.
  if (prismaError?.code === "P2028" || prismaError?.code === "P2034") return problem(503, "the shard is busy; retry shortly");
  if (prismaError?.code === "P2002") return problem(409, "a record with these values already exists", Array.isArray(prismaError.meta?.target) ? String(prismaError.meta.target[0]) : undefined);
  const fe = err as FastifyError;
  switch (fe?.code) {
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return problem(415, "send JSON with content-type application/json", "content-type");
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return problem(413, "the request body is larger than this API accepts", "body");
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return problem(400, "the request body is empty; send a JSON object", "body");
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return problem(400, "the request body is not valid JSON", "body");
  }
  if (fe?.statusCode === 400 && err instanceof SyntaxError) return problem(400, "the request body is not valid JSON", "body");
  if (typeof fe?.statusCode === "number" && fe.statusCode >= 400 && fe.statusCode < 500) return problem(fe.statusCode, fe.message);
  return null;
}

export function installProblemHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const known = toProblem(err);
    const body = known ?? problem(500, "the lab hit an unexpected error; quote the request id when reporting it");
    if (!known) request.log.error({ err, requestId: request.id }, "unexpected error");
    reply.status(body.status).type("application/problem+json").send({ ...body, requestId: request.id });
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).type("application/problem+json").send({ ...problem(404, `no route ${request.method} ${request.url.split("?")[0]}`), requestId: request.id });
  });
}
