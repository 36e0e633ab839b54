// next-auth's own routes (sign-in, callback, session, sign-out, CSRF).
import NextAuth from "next-auth";
import { authOptions } from "@/app/auth-options.ts";

const handler = NextAuth(authOptions);

export { handler as GET, handler as POST };
