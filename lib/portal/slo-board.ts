// The SLO board's rows from the SLO engine's report: what an SRE scans first (the budget left, which
// alerts, burn-rate tiers and no-data, fire or are about to), worst first.
import { alertsNow } from "../slo/evaluate-slos.ts";
import type { SloReport } from "../slo/slo-status.ts";

export interface SloBoardRow {
  name: string;
  displayName: string;
  journey: string;
  source: string;
  targetPercent: number;
  windowDays: number;
  budgetRemainingPercent: number;
  firing: string[];
  pending: string[];
  /** The fastest tier's short-window burn rate: how fast the budget goes right now. */
  burnNow: number;
}

export function sloBoard(report: Pick<SloReport, "slos">): SloBoardRow[] {
  return report.slos
    .map((s) => ({
      name: s.name,
      displayName: s.displayName,
      journey: s.journey,
      source: s.source,
      targetPercent: Math.round(s.target * 100_000) / 1000,
      windowDays: Math.round(s.windowMinutes / 1440),
      budgetRemainingPercent: Math.round(s.budgetRemaining * 1000) / 10,
      firing: alertsNow(s)
        .filter((a) => a.state === "firing")
        .map((a) => a.alert),
      pending: alertsNow(s)
        .filter((a) => a.state === "pending")
        .map((a) => a.alert),
      burnNow: Math.round((s.tiers.find((t) => t.tier === "page-fast")?.shortBurnRate ?? 0) * 100) / 100,
    }))
    .sort((a, b) => b.firing.length - a.firing.length || a.budgetRemainingPercent - b.budgetRemainingPercent || a.name.localeCompare(b.name));
}
