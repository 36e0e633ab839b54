// Abort conditions read against the SLO engine's report: the first condition that holds ends the drill
// (rolled back), with a reason that says which SLO, which number and which threshold.
import type { SloReport } from "../slo/slo-status.ts";
import type { AbortCondition } from "./drill-request.ts";

export interface AbortVerdict {
  condition: AbortCondition;
  reason: string;
}

/** The first condition that holds in `report`, or null. An SLO the report does not know never holds. */
export function abortVerdict(conditions: readonly AbortCondition[], report: Pick<SloReport, "slos">): AbortVerdict | null {
  for (const condition of conditions) {
    const slo = report.slos.find((s) => s.name === condition.slo);
    if (!slo) continue;
    if ("burnRateAbove" in condition) {
      const tier = slo.tiers.find((t) => t.tier === condition.tier);
      if (tier && tier.shortBurnRate > condition.burnRateAbove) {
        return {
          condition,
          reason: `${slo.name} burns its budget ${round(tier.shortBurnRate)}x over the ${condition.tier} tier's short window (abort above ${condition.burnRateAbove}x)`,
        };
      }
    } else if ("alertFiring" in condition) {
      if (slo.tiers.some((t) => t.tier === condition.alertFiring && t.state === "firing")) {
        return { condition, reason: `${slo.name}'s ${condition.alertFiring} alert is firing` };
      }
    } else if (slo.budgetRemaining < condition.budgetBelow) {
      return {
        condition,
        reason: `${slo.name} has ${round(slo.budgetRemaining * 100)} % of its error budget left (abort below ${round(condition.budgetBelow * 100)} %)`,
      };
    }
  }
  return null;
}

/** What a condition waits for on its SLO, in words (the launch preview and the run page name the SLO). */
export function describeAbortCondition(condition: AbortCondition): string {
  if ("burnRateAbove" in condition) return `${condition.tier} burn rate above ${condition.burnRateAbove}`;
  if ("alertFiring" in condition) return `its ${condition.alertFiring} alert fires`;
  return `error budget left below ${condition.budgetBelow}`;
}

/** The SLOs named by conditions that the report does not have: a launch naming one is refused. */
export function unknownSlos(conditions: readonly AbortCondition[], known: ReadonlySet<string>): string[] {
  return conditions.map((c) => c.slo).filter((name) => !known.has(name));
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
