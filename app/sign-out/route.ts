// POST /sign-out: ends the portal session (its cookies cleared) and, for a session from the lab's OpenID
// Connect provider, the provider's session too (RP-Initiated Logout: lib/portal/oidc-sign-out.ts). A POST
// from the portal's own pages only, so a link or a prefetch elsewhere cannot sign anyone out.
import { type NextRequest, NextResponse } from "next/server";
import { getToken } from "next-auth/jwt";
import { authOptions } from "@/app/auth-options.ts";
import { publicRoute } from "@/app/portal-route.ts";
import { refusal } from "@/lib/errors/problem-response.ts";
import { PORTAL_ROUTES } from "@/lib/portal/portal-routes.ts";
import { labConfig } from "@/app/portal-connections.ts";
import { discoveryUrl } from "@/lib/portal/oidc-sign-in.ts";
import { endSessionEndpointOf, sessionCookiesToClear, signOutTarget } from "@/lib/portal/oidc-sign-out.ts";

// The provider's end-session endpoint, read from its discovery document and kept for ten minutes.
let endSession: { issuer: string; endpoint: string | null; until: number } | null = null;

async function endSessionEndpoint(issuer: string): Promise<string | null> {
  if (endSession?.issuer === issuer && Date.now() < endSession.until) return endSession.endpoint;
  try {
    const res = await fetch(discoveryUrl(issuer), { signal: AbortSignal.timeout(3000) });
    const endpoint = res.ok ? endSessionEndpointOf(await res.json()) : null;
    endSession = { issuer, endpoint, until: Date.now() + 600_000 };
    return endpoint;
  } catch {
    // The provider is unreachable: the portal's session still ends, which is what the person asked for.
    return null;
  }
}

export const POST = publicRoute(PORTAL_ROUTES.signOut, async (request: NextRequest) => {
  // The portal as the browser reached it (Next's own idea of its URL can name the host it binds instead).
  const origin = `${request.nextUrl.protocol}//${request.headers.get("host") ?? request.nextUrl.host}`;
  const from = request.headers.get("origin");
  if (from && from !== origin) return refusal("forbidden", "sign out from the portal's own pages", "origin");
  const token = await getToken({ req: request, secret: authOptions.secret });
  const oidc = labConfig().oidc;
  const idToken = typeof token?.idToken === "string" ? token.idToken : null;
  const provider = oidc && idToken ? { clientId: oidc.clientId, endSessionEndpoint: await endSessionEndpoint(oidc.issuer) } : null;
  const target = signOutTarget({ idToken }, provider, `${origin}/sign-in`);
  const response = NextResponse.redirect(target.location, 303);
  for (const cookie of sessionCookiesToClear(request.cookies.getAll().map((c) => c.name))) {
    response.cookies.set(cookie.name, "", { path: "/", maxAge: 0, httpOnly: true, sameSite: "lax", secure: cookie.secure });
  }
  return response;
});
