import type { Metadata } from "next";
import { PersonaSignIn } from "@/components/persona-sign-in.tsx";
import { sharedLabDatabases } from "@/lib/data/lab-connection.ts";
import { listPersonas } from "@/lib/portal/personas.ts";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const { callbackUrl } = await searchParams;
  // Only the portal's own paths: a sign-in link must not send anyone elsewhere.
  const back = callbackUrl && callbackUrl.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/";
  const personas = await listPersonas((await sharedLabDatabases()).control.sql);
  return (
    <>
      <h1>Sign in</h1>
      <p className="subtitle">Choose a demo persona. Each sees the lab as its role allows; every record is synthetic.</p>
      <section className="panel" aria-labelledby="personas-heading">
        <h2 id="personas-heading">Demo personas</h2>
        {personas.length === 0 ? (
          <p>The lab has no demo personas yet. Start it once with <code>npm run lab</code>, which creates them.</p>
        ) : (
          <PersonaSignIn personas={personas.map((p) => ({ username: p.username, displayName: p.displayName, role: p.actor.role }))} callbackUrl={back} />
        )}
      </section>
    </>
  );
}
