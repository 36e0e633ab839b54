// Sign-in to the portal (next-auth 4): a persona picker over the lab's demo users (embedded mode, or full
// mode without a provider), and an OpenID Connect provider from config (LAB_OIDC_*: authorization code with
// PKCE and state; its ID token's role claims make the actor). The session (a signed JWT cookie) carries
// the actor: role, facility, own record; pages and API routes check it on the server.
import type { NextAuthOptions } from "next-auth";
import type { OAuthConfig } from "next-auth/providers/oauth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { Actor } from "@/lib/auth/roles.ts";
import { labConfig, sharedLabDatabases } from "@/app/portal-connections.ts";
import { discoveryUrl, signInFromIdToken } from "@/lib/portal/oidc-sign-in.ts";
import { actorOfSession, findPersona, portalSessionSecret } from "@/lib/portal/personas.ts";

type OidcUser = { id: string; name: string; actor: Actor | null; refusal: string | null };

function oidcProvider(): OAuthConfig<Record<string, unknown>>[] {
  const oidc = labConfig().oidc;
  if (!oidc) return [];
  return [
    {
      id: "oidc",
      name: oidc.name,
      type: "oauth",
      wellKnown: discoveryUrl(oidc.issuer),
      clientId: oidc.clientId,
      clientSecret: oidc.clientSecret,
      authorization: { params: { scope: "openid profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      profile(claims): OidcUser {
        const result = signInFromIdToken(claims);
        const id = typeof claims.sub === "string" ? claims.sub : "unknown";
        return result.ok ? { id, name: result.displayName, actor: result.actor, refusal: null } : { id, name: id, actor: null, refusal: result.reason };
      },
    },
  ];
}

export const authOptions: NextAuthOptions = {
  secret: portalSessionSecret(labConfig().privacySecret),
  session: { strategy: "jwt", maxAge: 8 * 3600 },
  pages: { signIn: "/sign-in" },
  providers: [
    CredentialsProvider({
      id: "persona",
      name: "Demo persona",
      credentials: { username: { label: "Persona", type: "text" } },
      async authorize(credentials) {
        const persona = await findPersona((await sharedLabDatabases()).control.sql, String(credentials?.username ?? ""));
        return persona ? { id: persona.actor.userId, name: persona.displayName, actor: persona.actor } : null;
      },
    }),
    ...oidcProvider(),
  ],
  callbacks: {
    signIn({ user }) {
      // A provider's user the lab cannot place goes back to the sign-in page, told why.
      const refusal = (user as Partial<OidcUser>).refusal;
      return refusal ? `/sign-in?error=NoLabRole&reason=${encodeURIComponent(refusal)}` : true;
    },
    jwt({ token, user, account }) {
      if (user && "actor" in user) token.actor = user.actor;
      // Kept for signing out at the provider too (app/sign-out/route.ts): it is the end-session request's hint.
      if (account?.provider === "oidc" && account.id_token) token.idToken = account.id_token;
      return token;
    },
    session({ session, token }) {
      return { ...session, user: { ...session.user, actor: actorOfSession({ user: { actor: token.actor } }) } };
    },
  },
};
