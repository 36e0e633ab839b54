// The signed-in persona of a request, on the server (pages and API routes), and the bearer token the
// portal presents for it to the lab's services, which check the role again (app/lab.ts calls with it).
import "server-only";
import { getServerSession } from "next-auth";
import { authOptions } from "@/app/auth-options.ts";
import type { Actor } from "@/lib/auth/roles.ts";
import { issueLabToken, labSigningKey } from "@/lib/auth/tokens.ts";
import { labConfig } from "@/app/portal-connections.ts";
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
