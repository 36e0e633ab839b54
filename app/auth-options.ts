// Sign-in to the portal (next-auth 4): in embedded mode a persona picker over the lab's demo users. The
// session (a signed JWT cookie) carries the persona's actor: role, facility, own record; pages and API
// routes check it on the server.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { labConfig, sharedLabDatabases } from "@/lib/data/lab-connection.ts";
import { actorOfSession, findPersona, portalSessionSecret } from "@/lib/portal/personas.ts";

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
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user && "actor" in user) token.actor = user.actor;
      return token;
    },
    session({ session, token }) {
      return { ...session, user: { ...session.user, actor: actorOfSession({ user: { actor: token.actor } }) } };
    },
  },
};
