// The runbooks' check (issue 18; docs/runbooks/README.md says how they are written): every alert tier of
// every SLO and every part of the lab has a runbook with its sections, a runbook's checks lead into the
// portal and its mitigations to the lab's levers, and every link goes somewhere that exists: a portal
// page (an SLO's page names an SLO), a runbook and a heading in it, or a file of the repository.
import { posix } from "node:path";
import type { AlertName } from "../slo/burn-rate-tiers.ts";
import { type RunbookOutline, outlineOf } from "./runbook-outline.ts";
import { RUNBOOKS_DIR, RUNBOOKS_PAGE, runbookFile } from "./runbook-paths.ts";

/** The sections every runbook has, in this order. */
export const RUNBOOK_SECTIONS = ["symptoms", "checks", "mitigations", "escalation"] as const;

/** The runbook the levers are in: mitigations link to its sections. */
export const LEVERS_RUNBOOK = "levers";

/** Runbooks that are about the runbooks, not an alert or a part of the lab. */
const INDEX_RUNBOOK = "README";

export interface RunbookSubjects {
  /** Each SLO and its alerts: its burn-rate tiers, and no-data where it has one. */
  slos: readonly { name: string; tiers: readonly AlertName[] }[];
  /** The lab's parts: its processes and the data tier's pieces. */
  components: readonly string[];
  /** The portal's pages, as their folders under app/ name them (/slos/[name]). */
  pageRoutes: readonly string[];
  /** Whether a repository path (from its root) is a file, for links out of docs/runbooks. */
  repoFileExists: (path: string) => boolean;
}

export interface RunbookProblem {
  file: string;
  /** 0 when the file itself is missing. */
  line: number;
  message: string;
}

/** Checks the runbooks (name without .md -> text) against what must have one; [] when all is well. */
export function checkRunbooks(runbooks: ReadonlyMap<string, string>, subjects: RunbookSubjects): RunbookProblem[] {
  const outlines = outlinesOf(runbooks);
  const problems: RunbookProblem[] = [];
  const say = (name: string, line: number, message: string) => problems.push({ file: runbookFile(name), line, message });
  const context = contextOf(outlines, subjects);

  const require = (name: string, what: string, sections: readonly string[]) => {
    const outline = outlines.get(name);
    if (!outline) return say(name, 0, `no runbook for ${what}: write ${runbookFile(name)} (docs/runbooks/README.md says how)`);
    const slugs = new Set(outline.headings.map((h) => h.slug));
    for (const s of sections) if (!slugs.has(s)) say(name, 1, `no section #${s} (the runbook of ${what} has one)`);
  };
  for (const slo of subjects.slos) require(slo.name, `the alerts of SLO ${slo.name}`, [...slo.tiers, ...RUNBOOK_SECTIONS]);
  for (const component of subjects.components) require(component, `${component} (a part of the lab)`, RUNBOOK_SECTIONS);

  for (const [name, outline] of outlines) {
    for (const link of outline.links) {
      const dead = deadLink(name, link.href, context);
      if (dead) say(name, link.line, `the link to ${link.href} ${dead}`);
    }
    if (name === INDEX_RUNBOOK || name === LEVERS_RUNBOOK) continue;
    const inSection = (section: string) => outline.links.filter((l) => l.section === section);
    const checks = outline.headings.find((h) => h.slug === "checks");
    if (checks && !inSection("checks").some((l) => isPortalPath(l.href)))
      say(name, checks.line, "its checks link no view of the portal: say where to look (/slos/..., /telemetry, /audit, /)");
    const mitigations = outline.headings.find((h) => h.slug === "mitigations");
    if (mitigations && !inSection("mitigations").some((l) => l.href.startsWith(`${LEVERS_RUNBOOK}.md#`)))
      say(name, mitigations.line, `its mitigations link no lever: link the section of ${LEVERS_RUNBOOK}.md that pulls it`);
  }
  return problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** Why a portal path (an alert's runbook_url, say) leads nowhere, or null when it leads to a page. */
export function deadPortalLink(path: string, runbooks: ReadonlyMap<string, string>, subjects: RunbookSubjects): string | null {
  return deadLink("", path, contextOf(outlinesOf(runbooks), subjects));
}

const outlinesOf = (runbooks: ReadonlyMap<string, string>) => new Map<string, RunbookOutline>([...runbooks].map(([name, text]) => [name, outlineOf(text)]));
const contextOf = (outlines: ReadonlyMap<string, RunbookOutline>, subjects: RunbookSubjects): LinkContext => ({
  outlines,
  sloNames: new Set(subjects.slos.map((s) => s.name)),
  subjects,
});

const isPortalPath = (href: string) => href.startsWith("/") && !href.startsWith("//");

interface LinkContext {
  outlines: ReadonlyMap<string, RunbookOutline>;
  sloNames: ReadonlySet<string>;
  subjects: RunbookSubjects;
}

/** Why a link leads nowhere, or null when it leads somewhere that exists. */
function deadLink(from: string, href: string, c: LinkContext): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//")) return "leaves the lab, which runs offline: link a portal page or a runbook";
  const [target = "", anchor] = href.split("#", 2) as [string, string | undefined];
  if (target === "") return anchorMissing(from, anchor, c);
  if (isPortalPath(target)) return deadPortalPath(target.split("?")[0]!, anchor, c);
  const path = posix.normalize(posix.join(RUNBOOKS_DIR, target));
  const runbook = path.startsWith(`${RUNBOOKS_DIR}/`) && path.endsWith(".md") ? path.slice(RUNBOOKS_DIR.length + 1, -3) : null;
  if (runbook !== null && !runbook.includes("/")) {
    if (!c.outlines.has(runbook)) return `names no runbook (there is no ${path})`;
    return anchorMissing(runbook, anchor, c);
  }
  if (path.startsWith("..")) return "leaves the repository";
  return c.subjects.repoFileExists(path) ? null : `names no file (there is no ${path})`;
}

function anchorMissing(runbook: string, anchor: string | undefined, c: LinkContext): string | null {
  if (!anchor) return null;
  const outline = c.outlines.get(runbook);
  if (!outline) return `names no runbook ${runbook}`;
  return outline.headings.some((h) => h.slug === anchor) ? null : `names no heading #${anchor} in ${runbookFile(runbook)}`;
}

function deadPortalPath(path: string, anchor: string | undefined, c: LinkContext): string | null {
  const segments = path.replace(/\/+$/, "").split("/").slice(1);
  if (segments[0] === RUNBOOKS_PAGE.slice(1)) {
    if (segments.length === 1) return null;
    if (segments.length === 2) return c.outlines.has(segments[1]!) ? anchorMissing(segments[1]!, anchor, c) : `names no runbook ${segments[1]}`;
    return "is not a page of the portal";
  }
  const page = c.subjects.pageRoutes.find((route) => routeMatches(route, segments));
  if (!page) return "is not a page of the portal (lib/portal/portal-pages.ts lists them)";
  if (page === "/slos/[name]" && !c.sloNames.has(segments[1]!)) return `names no SLO (slo/*.yaml has no ${segments[1]})`;
  return null;
}

function routeMatches(route: string, segments: readonly string[]): boolean {
  const want = route === "/" ? [] : route.split("/").slice(1);
  if (want.length !== segments.length) return false;
  return want.every((w, i) => (w.startsWith("[") ? segments[i] !== "" : w === segments[i]));
}
