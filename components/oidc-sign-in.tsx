"use client";
// Sign-in through the lab's OpenID Connect provider: next-auth sends the browser there (code flow with
// PKCE) and back to where the user was headed.
import { signIn } from "next-auth/react";
import { useState } from "react";

export function OidcSignIn({ providerName, callbackUrl }: { providerName: string; callbackUrl: string }) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      disabled={busy}
      onClick={() => {
        setBusy(true);
        void signIn("oidc", { callbackUrl });
      }}
    >
      Sign in with {providerName}
    </button>
  );
}
