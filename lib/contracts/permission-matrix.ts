// Who may call what, derived from the declarations alone: every route of every lab process, every API
// route and page of the portal, with the action each declares and, per persona, whether the policy grants
// it and over which scope. docs/permissions.md is this table (npm run routes:doc writes it; a test keeps it
// current, and another calls every declared route as every persona and checks the servers answer so).
import { POLICY, type Action, grantFor } from "../auth/policy.ts";
import { ROLES, type Role } from "../auth/roles.ts";
import { PAGES } from "../portal/portal-pages.ts";
import { PORTAL_PASS_THROUGHS, PORTAL_ROUTES } from "../portal/portal-routes.ts";
import type { LabRoute } from "./lab-route.ts";
import { PROCESSES, routesOf } from "./lab-routes.ts";

/** A persona's standing for one route: allowed over any record, over a scope, or refused. */
export type Standing = "any" | "own-facility" | "own-record" | "signed-in" | "public" | null;

export interface MatrixRow {
  where: string;
  method: string;
  path: string;
  access: Action | "signed-in" | "public";
  standing: Record<Role, Standing>;
}

export function standingOf(role: Role, access: MatrixRow["access"]): Standing {
  if (access === "public" || access === "signed-in") return access;
  return grantFor(role, access)?.scope ?? null;
}

const row = (where: string, method: string, path: string, access: MatrixRow["access"]): MatrixRow => ({
  where,
  method,
  path,
  access,
  standing: Object.fromEntries(ROLES.map((r) => [r, standingOf(r, access)])) as Record<Role, Standing>,
});

/** The routes a portal pass-through serves, as the portal's paths. */
export function passThroughRoutes(): { path: string; route: LabRoute }[] {
  return Object.values(PORTAL_PASS_THROUGHS).flatMap((p) =>
    p.passes.map((route) => ({ path: `${p.portalPrefix}${route.path.slice(p.labPrefix.length)}`, route: route as LabRoute })),
  );
}

export function permissionMatrix(): MatrixRow[] {
  return [
    ...PROCESSES.flatMap((process) => routesOf(process).map((r) => row(process, r.method, r.path, r.action))),
    ...Object.values(PORTAL_ROUTES).flatMap((r) => r.methods.map((m) => row("portal", m, r.route, r.access))),
    ...passThroughRoutes().map(({ path, route }) => row("portal", route.method, path, route.action)),
    ...Object.values(PAGES).map((p) => row("portal page", "GET", p.route, p.access)),
  ];
}

const MARK: Record<Exclude<Standing, null>, string> = { any: "yes", "own-facility": "facility", "own-record": "own", "signed-in": "yes", public: "anyone" };

export function permissionMatrixMarkdown(): string {
  const rows = permissionMatrix();
  const lines = [
    "# Who may call what",
    "",
    "Generated from the route declarations (`lib/contracts`, `lib/portal/portal-pages.ts`, `lib/portal/portal-routes.ts`) and the",
    "policy (`lib/auth/policy.ts`) by `npm run routes:doc`; a test keeps it current. `yes`: any record; `facility`: records of the",
    "persona's own facility; `own`: the persona's own record; `anyone`: no sign-in needed; `-`: refused (403).",
    "",
    `| where | method | path | action | ${ROLES.join(" | ")} |`,
    `| --- | --- | --- | --- | ${ROLES.map(() => "---").join(" | ")} |`,
    ...rows.map(
      (r) =>
        `| ${r.where} | ${r.method} | \`${r.path}\` | ${r.access} | ${ROLES.map((role) => (r.standing[role] ? MARK[r.standing[role]] : "-")).join(" | ")} |`,
    ),
    "",
    `${rows.length} routes and pages; ${Object.keys(POLICY).length} policy actions.`,
    "",
  ];
  return lines.join("\n");
}
