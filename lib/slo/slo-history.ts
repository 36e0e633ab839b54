// One SLO minute by minute over the last hours: its error budget left and each tier's burn rates (long
// and short window) as the engine evaluates them at the end of every minute, with the tier factors to
// draw as thresholds. The SLO detail page charts it beside the drills and alerts of the same minutes.
import type { SqlDatabase } from "../data/sql-database.ts";
import { budgetLedger, budgetRemainingAt, burnRateAt } from "./burn-rate.ts";
import type { TierName } from "./burn-rate-tiers.ts";
import type { SloDefinition } from "./load-slos.ts";
import { readJourneyMinutes, sliOfRows } from "./sli-store.ts";

export interface SloHistoryPoint {
  /** The minute the evaluation happened at (its data: the minutes before). */
  at: string;
  budgetRemaining: number;
  /** Requests and bad requests in the minute just ended. */
  requests: number;
  bad: number;
  /** Burn rate per tier over its long and short windows; null without traffic in the window. */
  burn: Partial<Record<TierName, { long: number | null; short: number | null }>>;
}

export interface SloHistory {
  slo: string;
  minutes: number;
  tiers: { tier: TierName; severity: string; factor: number; longMinutes: number; shortMinutes: number }[];
  points: SloHistoryPoint[];
}

const finite = (n: number) => (Number.isFinite(n) ? n : null);

export async function sloHistory(db: SqlDatabase, slo: SloDefinition, now: Date, minutes: number): Promise<SloHistory> {
  const end = Math.floor(now.getTime() / 60_000);
  const span = slo.windowMinutes + minutes;
  const from = end - span;
  const sli = sliOfRows(await readJourneyMinutes(db, slo.journey, slo.source, from, end), slo, from, end);
  const ledger = budgetLedger(sli, slo.target);
  const points: SloHistoryPoint[] = [];
  // Index e of the running sums holds the buckets before it: e = span is the evaluation at `end`.
  for (let e = span - minutes + 1; e <= span; e++) {
    points.push({
      at: new Date((from + e) * 60_000).toISOString(),
      budgetRemaining: budgetRemainingAt(ledger, e, slo.windowMinutes),
      requests: sli.total[e - 1]!,
      bad: sli.bad[e - 1]!,
      burn: Object.fromEntries(
        slo.tiers.map((t) => [t.name, { long: finite(burnRateAt(ledger, e, t.longMinutes)), short: finite(burnRateAt(ledger, e, t.shortMinutes)) }]),
      ),
    });
  }
  return {
    slo: slo.name,
    minutes,
    tiers: slo.tiers.map((t) => ({ tier: t.name, severity: t.severity, factor: t.factor, longMinutes: t.longMinutes, shortMinutes: t.shortMinutes })),
    points,
  };
}
