// What both audit API routes do before they answer: who is calling (their bearer token, else the signed-in
// persona), whether their role may read the audit logs and with which view, the filter, and the lab's
// databases; and the one mapping of failures to problem bodies, so bad input is a 400 naming the field.
import { type View, authorize } from "@/lib/auth/policy.ts";
import type { Actor } from "@/lib/auth/roles.ts";
import { type TokenTrust, tokenTrustOf, verifyLabToken } from "@/lib/auth/tokens.ts";
import { type AuditFilter, parseAuditFilter } from "@/lib/audit/audit-filter.ts";
import type { LabDatabases } from "@/lib/data/lab-databases.ts";
import { labConfig, sharedLabDatabases } from "@/lib/data/lab-connection.ts";
import { LabError } from "@/lib/errors/index.ts";
import { redactForLog } from "@/lib/privacy/redact.ts";
import { currentActor } from "@/app/session.ts";

export interface AuditRequest {
  actor: Actor;
  view: View;
  filter: AuditFilter;
  lab: LabDatabases;
}

let trust: TokenTrust | undefined;

async function callerOf(request: Request): Promise<Actor> {
  const header = request.headers.get("authorization");
  if (header !== null) {
    const token = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(header)?.[1];
    if (!token) throw new LabError("unauthenticated", "send Authorization: Bearer <token>", { field: "authorization" });
    trust ??= tokenTrustOf(labConfig());
    return verifyLabToken(trust, token);
  }
  const actor = await currentActor();
  if (!actor) throw new LabError("unauthenticated", "sign in, or send a lab bearer token", { field: "authorization" });
  return actor;
}

export async function auditRequest(request: Request): Promise<AuditRequest> {
  const actor = await callerOf(request);
  const decision = authorize(actor, "audit.read");
  if (!decision.allowed) throw new LabError("forbidden", `the audit logs are for SREs, instructors and admins: ${decision.reason}`);
  const filter = parseAuditFilter(new URL(request.url).searchParams, { shardCount: labConfig().shardCount });
  let lab: LabDatabases;
  try {
    lab = await sharedLabDatabases();
  } catch (err) {
    throw new LabError("unavailable", `the lab's databases cannot be read: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return { actor, view: decision.view, filter, lab };
}

const TITLES: Record<number, string> = { 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 503: "Service Unavailable", 500: "Internal Server Error" };

export function problem(status: number, detail: string, field?: string): Response {
  return Response.json(
    { type: `https://pim-sre.lab/problems/${status}`, title: TITLES[status] ?? "Error", status, detail, ...(field ? { field } : {}) },
    { status, headers: { "content-type": "application/problem+json", ...(status === 401 ? { "www-authenticate": "Bearer" } : {}) } },
  );
}

/** An expected failure as its problem; anything else logged (redacted) and answered with a 500 that says nothing. */
export function problemOf(err: unknown, route: string): Response {
  if (err instanceof LabError && err.code !== "setup") return problem(err.status, err.message, err.field);
  console.error(JSON.stringify({ level: "error", msg: `${route} failed`, err: redactForLog(err) }));
  return problem(500, "the audit search failed unexpectedly; the portal's log has the details");
}
