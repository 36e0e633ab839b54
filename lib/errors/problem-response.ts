// The portal's adapter: a problem body as a web Response (Next.js route handlers answer with these).
import { LAB_ERROR_STATUS, type LabErrorCode } from "./index.ts";
import { PROBLEM_CONTENT_TYPE, type Problem, UNEXPECTED_DETAIL, problemBody } from "./problem.ts";
import { problemOf } from "./problem-of.ts";

export function problemResponse(problem: Problem): Response {
  const headers: Record<string, string> = { "content-type": PROBLEM_CONTENT_TYPE };
  if (problem.status === 401) headers["www-authenticate"] = "Bearer";
  return Response.json(problem, { status: problem.status, headers });
}

/** An expected failure as its problem; anything else is told to `log` and answered with a 500 that says nothing. */
export function errorResponse(err: unknown, log: (err: unknown) => void): Response {
  const known = problemOf(err);
  if (known) return problemResponse(known);
  log(err);
  return problemResponse(problemBody(500, UNEXPECTED_DETAIL));
}

/** A refusal made here, named by its code: the same body a lab service would send. */
export function refusal(code: LabErrorCode, detail: string, field?: string): Response {
  return problemResponse(problemBody(LAB_ERROR_STATUS[code], detail, field));
}
