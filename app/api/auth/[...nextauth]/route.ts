// next-auth's own routes (sign-in, callback, session, sign-out, CSRF): public, as a sign-in must be.
import NextAuth from "next-auth";
import { authOptions } from "@/app/auth-options.ts";
import { publicRoute } from "@/app/portal-route.ts";
import { PORTAL_ROUTES } from "@/lib/portal/portal-routes.ts";

const handler = publicRoute(PORTAL_ROUTES.auth, NextAuth(authOptions));

export { handler as GET, handler as POST };
