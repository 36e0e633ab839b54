// Which failure makes which problem body: expected failures (LabError, a zod parse, a unique index or a
// busy shard) as their 4xx or 503; anything else is not known here, and its server answers a bare 500.
import { ZodError } from "zod";
import { LabError } from "./index.ts";
import { type Problem, problemBody } from "./problem.ts";

/** A failed zod parse of a value from `where` (body, query, path, a header) as a 400 naming the field. */
export function inputError(err: ZodError, where: string): LabError {
  const issue = err.issues[0]!;
  const path = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]] : issue.path;
  const field = path.length ? path.map(String).join(".") : where;
  const detail = issue.code === "unrecognized_keys" ? `unknown field ${field}` : `${field}: ${issue.message}`;
  return new LabError("invalid", detail, { field, cause: err });
}

/** The problem for an expected failure; null for one the lab did not expect (the caller answers a bare 500). */
export function problemOf(err: unknown): Problem | null {
  if (err instanceof LabError) {
    if (err.code === "setup" || err.code === "internal") return null;
    // A fault rule's answer says what the same failure would say: nothing of the rule (ADR 0023).
    if (err.code === "injected") return problemBody(err.status, err.message);
    return problemBody(err.status, err.message, err.field);
  }
  if (err instanceof ZodError) return problemOf(inputError(err, "body"));
  const prismaError = err as { code?: string; meta?: { target?: unknown } } | null;
  // A transaction that could not start or finish in time (a busy shard): try again, not a crash.
  if (prismaError?.code === "P2028" || prismaError?.code === "P2034") return problemBody(503, "the shard is busy; retry shortly");
  // A unique index refused the write (a race the domain check could not see): a conflict, not a crash.
  if (prismaError?.code === "P2002") {
    const target = prismaError.meta?.target;
    return problemBody(409, "a record with these values already exists", Array.isArray(target) ? String(target[0]) : undefined);
  }
  return null;
}
