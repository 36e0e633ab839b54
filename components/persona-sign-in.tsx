"use client";
// One button per demo persona: signs in through next-auth's persona provider and goes back where the
// user was headed.
import { signIn } from "next-auth/react";
import { useState } from "react";

export interface PersonaChoice {
  username: string;
  displayName: string;
  role: string;
}

export function PersonaSignIn({ personas, callbackUrl }: { personas: PersonaChoice[]; callbackUrl: string }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const choose = async (username: string) => {
    setBusy(username);
    setFailed(false);
    const result = await signIn("persona", { username, redirect: false, callbackUrl });
    if (result?.ok) window.location.assign(result.url ?? callbackUrl);
    else {
      setFailed(true);
      setBusy(null);
    }
  };
  return (
    <>
      <ul className="persona-list">
        {personas.map((p) => (
          <li key={p.username}>
            <button type="button" onClick={() => void choose(p.username)} disabled={busy !== null} aria-describedby={`role-${p.username}`}>
              {p.displayName}
            </button>
            <span id={`role-${p.username}`} className="persona-role">
              {p.role}
            </span>
          </li>
        ))}
      </ul>
      {failed && (
        <p role="alert" className="error-state">
          That persona could not sign in. Is the lab running (npm run lab)?
        </p>
      )}
    </>
  );
}
