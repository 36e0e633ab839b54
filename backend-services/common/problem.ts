// The Fastify adapter of lib/errors/problem: every failure of a lab service becomes a problem body there,
// beside Fastify's own request errors (bad JSON, media type, size), and anything else is a 500 that leaks
// nothing but the request id.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { PROBLEM_CONTENT_TYPE, type Problem, UNEXPECTED_DETAIL, problemBody } from "../../lib/errors/problem.ts";
import { problemOf } from "../../lib/errors/problem-of.ts";

function fastifyProblem(err: unknown): Problem | null {
  const fe = err as FastifyError | null;
  switch (fe?.code) {
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return problemBody(415, "send JSON with content-type application/json", "content-type");
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return problemBody(413, "the request body is larger than this API accepts", "body");
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return problemBody(400, "the request body is empty; send a JSON object", "body");
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return problemBody(400, "the request body is not valid JSON", "body");
  }
  if (fe?.statusCode === 400 && err instanceof SyntaxError) return problemBody(400, "the request body is not valid JSON", "body");
  if (typeof fe?.statusCode === "number" && fe.statusCode >= 400 && fe.statusCode < 500) return problemBody(fe.statusCode, fe.message);
  return null;
}

function toProblem(err: unknown): Problem | null {
  return problemOf(err) ?? fastifyProblem(err);
}

export function sendProblem(reply: FastifyReply, body: Problem, requestId: string) {
  return reply
    .status(body.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send({ ...body, requestId });
}

/** The answer to a path the process does not serve. */
export function answerNotFound(request: FastifyRequest, reply: FastifyReply) {
  return sendProblem(reply, problemBody(404, `no route ${request.method} ${request.url.split("?")[0]}`), request.id);
}

/** Problem bodies for every failure; and for unknown paths unless the process answers those itself (the gateway rate-limits them). */
export function installProblemHandler(app: FastifyInstance, options: { notFound: boolean } = { notFound: true }): void {
  app.setErrorHandler((err: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const known = toProblem(err);
    if (!known) request.log.error({ err, requestId: request.id }, "unexpected error");
    return sendProblem(reply, known ?? problemBody(500, UNEXPECTED_DETAIL), request.id);
  });
  if (options.notFound) app.setNotFoundHandler(answerNotFound);
}
