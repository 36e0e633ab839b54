// The overview's SLO summary: one line per persona journey (its SLOs of both sides folded together), so the
// first screen says which journeys hurt: the lowest budget left among them and the tiers firing or pending.
import type { SloBoardRow } from "./slo-board.ts";

export interface JourneySummary {
  journey: string;
  /** The persona the journey belongs to: the part of `patient/view-record` before the slash. */
  persona: string;
  slos: number;
  worstSlo: string;
  worstBudgetPercent: number;
  firing: string[];
  pending: string[];
}

const tierLabel = (slo: string, tier: string) => `${tier} on ${slo}`;

/** Journeys worst first: firing before pending before calm, then by the budget left. */
export function journeySummaries(rows: readonly SloBoardRow[]): JourneySummary[] {
  const byJourney = new Map<string, SloBoardRow[]>();
  for (const row of rows) byJourney.set(row.journey, [...(byJourney.get(row.journey) ?? []), row]);
  return [...byJourney]
    .map(([journey, slos]) => {
      const worst = slos.reduce((a, b) => (b.budgetRemainingPercent < a.budgetRemainingPercent ? b : a));
      return {
        journey,
        persona: journey.split("/")[0] ?? journey,
        slos: slos.length,
        worstSlo: worst.name,
        worstBudgetPercent: worst.budgetRemainingPercent,
        firing: slos.flatMap((s) => s.firing.map((t) => tierLabel(s.name, t))),
        pending: slos.flatMap((s) => s.pending.map((t) => tierLabel(s.name, t))),
      };
    })
    .sort(
      (a, b) =>
        b.firing.length - a.firing.length ||
        b.pending.length - a.pending.length ||
        a.worstBudgetPercent - b.worstBudgetPercent ||
        a.journey.localeCompare(b.journey),
    );
}
