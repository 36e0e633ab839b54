// The states every operations page shares: the wrong role for it, and a lab process it cannot reach.
import { roleWords } from "@/lib/auth/policy.ts";
import type { Role } from "@/lib/auth/roles.ts";
export function NotForYourRole({ what, role, forRoles, plural = false }: { what: string; role: Role; forRoles: string; plural?: boolean }) {
  return (
    <section className="panel error-state" role="alert">
      <h1>Not for your role</h1>
      <p>
        {what} {plural ? "are" : "is"} for {forRoles}; you are signed in as {roleWords(role)}.
      </p>
    </section>
  );
}

export function Unreachable({ title, error }: { title: string; error: unknown }) {
  return (
    <section className="panel error-state" role="alert">
      <h1>{title}</h1>
      <p>
        {error instanceof Error ? error.message : String(error)}. Is the lab running? See <code>npm run lab:status</code>.
      </p>
    </section>
  );
}
