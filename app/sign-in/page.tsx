// Sign-in: the lab's OpenID Connect provider when one is configured (LAB_OIDC_*), and the demo personas in
// embedded mode (or in full mode without a provider, so a lab is never locked).
import type { Metadata } from "next";
import { OidcSignIn } from "@/components/oidc-sign-in.tsx";
import { PersonaSignIn } from "@/components/persona-sign-in.tsx";
import { labConfig, sharedLabDatabases } from "@/app/portal-connections.ts";
import { listPersonas } from "@/lib/portal/personas.ts";
import { PAGES } from "@/lib/portal/portal-pages.ts";
import { Panel } from "@/components/panel.tsx";

// Open to everyone (PAGES.signIn): it is where the others send whoever is not signed in.
export const metadata: Metadata = { title: PAGES.signIn.what };
export const dynamic = "force-dynamic";

const ERRORS: Record<string, string> = {
  OAuthSignin: "The identity provider could not be reached to start the sign-in.",
  OAuthCallback: "The identity provider's answer could not be verified; try again.",
  Callback: "The sign-in could not be completed; try again.",
  AccessDenied: "The identity provider refused the sign-in.",
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string; reason?: string; signedOut?: string }>;
}) {
  const { callbackUrl, error, reason, signedOut } = await searchParams;
  // Only the portal's own paths: a sign-in link must not send anyone elsewhere.
  const back = callbackUrl && callbackUrl.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/";
  const config = labConfig();
  const showPersonas = config.mode === "embedded" || !config.oidc;
  const personas = showPersonas ? await listPersonas((await sharedLabDatabases()).control.sql) : [];
  const problem =
    error === "NoLabRole"
      ? `You are signed in at the identity provider, but the lab cannot place you: ${(reason ?? "no lab role").slice(0, 200)}.`
      : error
        ? (ERRORS[error] ?? "The sign-in failed; try again.")
        : null;
  return (
    <>
      <h1>Sign in</h1>
      <p className="subtitle">Each role sees the lab as it allows; every record is synthetic.</p>
      {signedOut && !problem ? (
        <p className="panel" role="status" data-testid="signed-out">
          {signedOut === "provider" ? "You are signed out of the portal and of your organisation's account." : "You are signed out of the portal."}
        </p>
      ) : null}
      {problem ? (
        <p className="panel error-state" role="alert" data-testid="sign-in-error">
          {problem}
        </p>
      ) : null}
      {config.oidc ? (
        <Panel id="oidc" title={<>Your organisation&apos;s account</>}>
          <OidcSignIn providerName={config.oidc.name} callbackUrl={back} />
        </Panel>
      ) : null}
      {showPersonas ? (
        <Panel id="personas" title="Demo personas">
          {personas.length === 0 ? (
            <p>
              The lab has no demo personas yet. Start it once with <code>npm run lab</code>, which creates them.
            </p>
          ) : (
            <PersonaSignIn personas={personas.map((p) => ({ username: p.username, displayName: p.displayName, role: p.actor.role }))} callbackUrl={back} />
          )}
        </Panel>
      ) : null}
    </>
  );
}
