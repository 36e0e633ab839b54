// The lab's runbooks on disk and what must have one: every SLO in slo/ (each alert tier), every process
// the supervisor runs and the supervisor itself, and the parts of the event pipeline and data tier that
// are not processes of their own.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../config/index.ts";
import { PAGES } from "../portal/portal-pages.ts";
import type { AlertName } from "../slo/burn-rate-tiers.ts";
import { NO_DATA } from "../slo/no-data.ts";
import { loadSloDirectory } from "../slo/load-slos.ts";
import { labProcesses } from "../supervisor/lab-processes.ts";
import type { RunbookSubjects } from "./runbook-check.ts";
import { outlineOf } from "./runbook-outline.ts";
import { RUNBOOKS_DIR } from "./runbook-paths.ts";

/** Parts of the lab that are no process of their own: the relays (a worker thread of the projector), the event bus and the shards. */
export const EMBEDDED_PARTS = ["relay", "event-bus", "shards"] as const;

/** The runbooks under docs/runbooks: name (file name without .md) -> Markdown. */
export function readRunbooks(root: string): Map<string, string> {
  const dir = join(root, RUNBOOKS_DIR);
  if (!existsSync(dir)) return new Map();
  return new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith(".md"))
      .sort()
      .map((f) => [f.slice(0, -3), readFileSync(join(dir, f), "utf8")]),
  );
}

export function labRunbookSubjects(root: string): RunbookSubjects {
  const processes = labProcesses(loadConfig({}, root), root).map((p) => p.name);
  return {
    slos: loadSloDirectory(join(root, "slo"), root).map((s) => ({
      name: s.name,
      tiers: [...s.tiers.map((t) => t.name), ...(s.noDataAgainst ? [NO_DATA] : [])] as AlertName[],
    })),
    components: [...processes, "supervisor", ...EMBEDDED_PARTS],
    pageRoutes: Object.values(PAGES).map((p) => p.route),
    repoFileExists: (path) => existsSync(join(root, path)) && statSync(join(root, path)).isFile(),
  };
}

export interface RunbookEntry {
  name: string;
  title: string;
}

/** The runbooks by what they are for, each with the title of its first heading. */
export function runbookIndex(root: string): { alerts: RunbookEntry[]; parts: RunbookEntry[]; guides: RunbookEntry[] } {
  const subjects = labRunbookSubjects(root);
  const slos = new Set(subjects.slos.map((s) => s.name));
  const parts = new Set(subjects.components);
  const index = { alerts: [] as RunbookEntry[], parts: [] as RunbookEntry[], guides: [] as RunbookEntry[] };
  for (const [name, text] of readRunbooks(root)) {
    const entry = { name, title: outlineOf(text).headings.find((h) => h.depth === 1)?.text ?? name };
    (slos.has(name) ? index.alerts : parts.has(name) ? index.parts : index.guides).push(entry);
  }
  return index;
}
