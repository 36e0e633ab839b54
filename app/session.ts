// The signed-in persona of a request, on the server (pages and API routes), and the bearer token the
// portal presents for it to the lab's services, which check the role again.
import { getServerSession } from "next-auth";
import { authOptions } from "@/app/auth-options.ts";
import type { Actor } from "@/lib/auth/roles.ts";
import { issueLabToken, labSigningKey } from "@/lib/auth/tokens.ts";
import { labConfig } from "@/lib/data/lab-connection.ts";
import { actorOfSession } from "@/lib/portal/personas.ts";

export async function currentActor(): Promise<Actor | null> {
  return actorOfSession(await getServerSession(authOptions));
}

/** A short-lived bearer token for an actor, for the lab's services (which check the role again). */
export async function labBearer(actor: Actor): Promise<string> {
  return `Bearer ${await issueLabToken(labSigningKey(labConfig().privacySecret), actor, { ttlSeconds: 300 })}`;
}

/** The caller's own Authorization header, else a short-lived lab token for the signed-in persona. */
export async function labAuthorization(request: Request): Promise<string | null> {
  const given = request.headers.get("authorization");
  if (given) return given;
  const actor = await currentActor();
  return actor ? labBearer(actor) : null;
}

/** A JSON read from a lab process as the actor; a refusal or a dead process is an Error saying which. */
export async function readLab<T>(url: string, actor: Actor, processName: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { authorization: await labBearer(actor) }, cache: "no-store", signal: AbortSignal.timeout(5000) });
  } catch (err) {
    throw new Error(`the ${processName} ${(err as Error).name === "TimeoutError" ? "did not answer within 5 s" : "is not running"}`, { cause: err });
  }
  if (!res.ok) {
    const problem = (await res.json().catch(() => ({}))) as { detail?: string };
    throw new Error(`the ${processName} answered ${res.status}${problem.detail ? `: ${problem.detail}` : ""}`);
  }
  return (await res.json()) as T;
}

/** A POST to a lab process as the actor, for server actions; the answer's status and body. */
export async function writeLab(url: string, actor: Actor, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { authorization: await labBearer(actor) };
  if (body !== undefined) headers["content-type"] = "application/json";
  try {
    const res = await fetch(url, { method: "POST", headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
  } catch (err) {
    return { status: 503, body: { detail: (err as Error).message } };
  }
}
