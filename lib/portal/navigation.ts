// The portal's main navigation for a persona: only the pages that serve their role, so nobody is offered
// a page that would answer "not for your role". Which role may read what comes from the policy.
import { type Action, authorize } from "../auth/policy.ts";
import type { Actor } from "../auth/roles.ts";

export interface NavLink {
  href: string;
  label: string;
}

const LINKS: (NavLink & { needs: Action | "signed-in" | "own-record" | null })[] = [
  { href: "/", label: "Overview", needs: null },
  { href: "/dashboard", label: "My dashboard", needs: "signed-in" },
  { href: "/me", label: "My record", needs: "own-record" },
  { href: "/slos", label: "SLOs", needs: "ops.read" },
  { href: "/traffic", label: "Traffic", needs: "controls.read" },
  { href: "/scenarios", label: "Scenarios", needs: "controls.read" },
  { href: "/drills", label: "Drills", needs: "controls.read" },
  { href: "/exercises", label: "Exercises", needs: "exercise.run" },
  { href: "/exercise", label: "On call", needs: "exercise.play" },
  { href: "/agents", label: "Agents", needs: "controls.read" },
  { href: "/audit", label: "Audit", needs: "audit.read" },
  { href: "/telemetry", label: "Telemetry", needs: "ops.read" },
  { href: "/runbooks", label: "Runbooks", needs: "ops.read" },
  { href: "/admin", label: "Admin", needs: "reference.write" },
];

export function navigationFor(actor: Actor | null): NavLink[] {
  return LINKS.filter((link) => {
    if (link.needs === null) return true;
    if (!actor) return false;
    if (link.needs === "signed-in") return true;
    if (link.needs === "own-record") return actor.role === "patient" && actor.patientId !== null;
    return authorize(actor, link.needs).allowed;
  }).map(({ href, label }) => ({ href, label }));
}
