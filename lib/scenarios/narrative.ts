// A scenario's narrative: one timeline of what the instructor, the drills and the other operators did
// (the control timeline's annotations) and what the SLOs did about it (alert transitions replayed by the
// SLO engine), with each watched SLO's budget spent. The portal shows it live, agents read it as JSON, and
// it renders as a Markdown post-incident review.
import type { Annotation } from "../data/prisma-clients.ts";
import { NO_DATA, noDataReason } from "../slo/no-data.ts";
import type { SloReport } from "../slo/slo-status.ts";
import type { ScenarioRun } from "./scenario-run.ts";

export type NarrativeKind = "scenario" | "cue" | "drill" | "alert" | "operator";

export interface NarrativeEntry {
  at: string;
  kind: NarrativeKind;
  text: string;
  actor: string | null;
  drillRunId: string | null;
  traceId: string | null;
  slo: string | null;
}

export interface BudgetSpent {
  slo: string;
  displayName: string;
  /** Budget left (0-1) at the start, and at the end (or now, while the scenario runs). */
  atStart: number | null;
  atEnd: number | null;
  /** Percentage points of the window's budget spent during the scenario. */
  spentPercent: number | null;
}

export interface NarrativeDrill {
  id: string;
  title: string;
  status: string;
  abortReason: string | null;
  requestId: string;
  startedAt: string | null;
  endedAt: string | null;
}

export interface Narrative {
  run: ScenarioRun;
  window: { from: string; to: string };
  summary: string;
  entries: NarrativeEntry[];
  budgets: BudgetSpent[];
  drills: NarrativeDrill[];
  alertsFired: number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const bodyOf = (a: Pick<Annotation, "body">): Record<string, unknown> => {
  try {
    const parsed: unknown = JSON.parse(a.body);
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

function annotationEntry(a: Annotation): NarrativeEntry {
  const kind: NarrativeKind = a.kind === "scenario" ? (bodyOf(a).event === "cue" ? "cue" : "scenario") : a.kind === "drill" ? "drill" : "operator";
  return { at: a.at.toISOString(), kind, text: a.title, actor: a.actorId, drillRunId: a.drillRunId, traceId: a.traceId, slo: null };
}

/**
 * Alert transitions inside the window: pending, firing and resolved for the watched SLOs; firing and
 * resolved for any other (collateral damage belongs in the story, pending noise does not).
 */
function alertEntries(report: SloReport, watch: ReadonlySet<string>, from: number, to: number): NarrativeEntry[] {
  const out: NarrativeEntry[] = [];
  for (const slo of report.slos) {
    for (const t of slo.transitions) {
      const at = t.minute * 60_000;
      if (at < from || at > to || t.to === "inactive") continue;
      if (!watch.has(slo.name) && t.to === "pending") continue;
      const burn = t.tier === NO_DATA ? noDataReason(t.to) : `burn ${round1(t.longBurnRate)}x over the long window, ${round1(t.shortBurnRate)}x over the short`;
      out.push({
        at: new Date(at).toISOString(),
        kind: "alert",
        text: `${t.severity} alert ${t.to} (${t.tier}) on ${slo.journey}: ${slo.displayName}; ${burn}`,
        actor: null,
        drillRunId: null,
        traceId: null,
        slo: slo.name,
      });
    }
  }
  return out;
}

export function buildNarrative(
  run: ScenarioRun,
  annotations: readonly Annotation[],
  drills: readonly NarrativeDrill[],
  report: SloReport | null,
  now: Date,
): Narrative {
  const from = Date.parse(run.startedAt);
  const to = run.endedAt ? Date.parse(run.endedAt) : now.getTime();
  const watch = new Set(run.watch);
  const entries = [...annotations.map(annotationEntry), ...(report ? alertEntries(report, watch, from, to) : [])].sort((a, b) => a.at.localeCompare(b.at));
  const current = new Map(report?.slos.map((s) => [s.name, s]) ?? []);
  const budgets = run.watch.map((slo): BudgetSpent => {
    const atStart = run.budgetsAtStart?.[slo] ?? null;
    const atEnd = run.budgetsAtEnd?.[slo] ?? (run.endedAt ? null : (current.get(slo)?.budgetRemaining ?? null));
    return {
      slo,
      displayName: current.get(slo)?.displayName ?? slo,
      atStart,
      atEnd,
      spentPercent: atStart !== null && atEnd !== null ? round1(Math.max(0, atStart - atEnd) * 100) : null,
    };
  });
  const alertsFired = entries.filter((e) => e.kind === "alert" && / firing /.test(e.text)).length;
  return {
    run,
    window: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
    summary: summarize(run, drills, budgets, alertsFired),
    entries,
    budgets,
    drills: [...drills],
    alertsFired,
  };
}

function summarize(run: ScenarioRun, drills: readonly NarrativeDrill[], budgets: readonly BudgetSpent[], alertsFired: number): string {
  const state = run.status === "running" ? "running" : `${run.status}${run.endReason ? ` (${run.endReason})` : ""}`;
  const drillPart =
    drills.length === 0
      ? "no drill launched"
      : `${drills.length} drill(s): ${drills.map((d) => `${d.title} ${d.status}${d.abortReason ? ` (${d.abortReason})` : ""}`).join("; ")}`;
  const worst = budgets.filter((b) => b.spentPercent !== null).sort((a, b) => b.spentPercent! - a.spentPercent!)[0];
  const budgetPart = worst ? `${worst.spentPercent} % of the budget of ${worst.slo} spent` : "budget spend unknown (the SLOs could not be read)";
  return `${run.title}, started by ${run.startedBy}, ${state}. ${drillPart}. ${alertsFired} alert(s) fired; ${budgetPart}.`;
}

const clock = (iso: string) => iso.slice(11, 19);
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
const percent = (v: number | null) => (v === null ? "n/a" : `${round1(v * 100)} %`);

/** The narrative as a post-incident review in Markdown, with the sections a review needs left to fill in. */
export function narrativeMarkdown(n: Narrative): string {
  const minutes = round1((Date.parse(n.window.to) - Date.parse(n.window.from)) / 60_000);
  const lines = [
    `# Post-incident review: ${n.run.title}`,
    "",
    `- Scenario: \`${n.run.scenario}\` (run \`${n.run.id}\`), ${n.run.status}`,
    `- When: ${n.window.from.slice(0, 10)} ${clock(n.window.from)} to ${clock(n.window.to)} UTC (${minutes} min)`,
    `- Facilitator: ${n.run.startedBy}`,
    `- Request id: \`${n.run.requestId}\` · trace id: \`${n.run.traceId}\``,
    "- Data: synthetic lab records only",
    "",
    "## Summary",
    "",
    n.summary,
    "",
    "## Impact",
    "",
    "| SLO | Budget left at start | at end | Spent |",
    "| --- | --- | --- | --- |",
    ...n.budgets.map(
      (b) => `| ${cell(b.displayName)} | ${percent(b.atStart)} | ${percent(b.atEnd)} | ${b.spentPercent === null ? "n/a" : `${b.spentPercent} %`} |`,
    ),
    "",
    "## Drills",
    "",
    ...(n.drills.length === 0
      ? ["No drill was launched."]
      : [
          "| Drill | Run | Status | Why it ended | Request id |",
          "| --- | --- | --- | --- | --- |",
          ...n.drills.map((d) => `| ${cell(d.title)} | \`${d.id}\` | ${d.status} | ${cell(d.abortReason ?? "ran its course")} | \`${d.requestId}\` |`),
        ]),
    "",
    "## Timeline (UTC)",
    "",
    ...n.entries.map((e) => `- ${clock(e.at)} **${e.kind}** ${e.text}${e.actor && e.kind !== "alert" ? ` (${e.actor})` : ""}`),
    "",
    "## What went well",
    "",
    "- ",
    "",
    "## What went wrong",
    "",
    "- ",
    "",
    "## Action items",
    "",
    "| Action | Owner | Due |",
    "| --- | --- | --- |",
    "|  |  |  |",
    "",
  ];
  return lines.join("\n");
}
