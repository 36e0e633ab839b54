// The burn-rate engine: error budget remaining and per-tier burn rates from minute rollups of an SLI, and
// the alert of each tier replayed minute by minute. A window of W minutes ending at minute T covers the
// buckets [T - W, T): exactly what Prometheus' rate() over [W] sees at time T when the counters are
// scraped once a minute, so the engine and the generated rules agree (test/promtool-rules.test.ts).
import { INACTIVE, type AlertState, type TierAlert, stepAlert } from "./alert-state.ts";
import type { AlertName, BurnRateTier, TierName } from "./burn-rate-tiers.ts";

/** Per-minute counts of one SLI: bucket i holds minute `startMinute + i`. */
export interface SliMinutes {
  startMinute: number;
  total: ArrayLike<number>;
  /** Requests that count against the objective (failed, or slower than the threshold). */
  bad: ArrayLike<number>;
}

/**
 * An SLO's budget, minute by minute, as running sums: bad requests, and the bad requests the objective
 * allows (total x (1 - target)). Burn rate over a window = bad / allowed within it; sums make any window
 * two subtractions, and SLOs with different targets can be rolled up by adding their series.
 */
export interface BudgetLedger {
  startMinute: number;
  /** Running sums, length minutes + 1: [0] = 0, [i] = sum of buckets before i. */
  bad: Float64Array;
  total: Float64Array;
  /** Running sum of allowed bad requests; only a group has one (a single SLO's is total x share). */
  allowed: Float64Array | null;
  /** 1 - target for one SLO (burn rate = error ratio / share, as the rules compute it); null for a group. */
  share: number | null;
}

/** `into` lends the running-sum arrays (length minutes + 1), so evaluating many SLOs reuses memory. */
export function budgetLedger(sli: SliMinutes, target: number, into?: { bad: Float64Array; total: Float64Array }): BudgetLedger {
  const { total: perMinute, bad: badPerMinute } = sli;
  const n = perMinute.length;
  const bad = into && into.bad.length === n + 1 ? into.bad : new Float64Array(n + 1);
  const total = into && into.total.length === n + 1 ? into.total : new Float64Array(n + 1);
  let badSum = 0;
  let totalSum = 0;
  for (let i = 0; i < n; i++) {
    badSum += badPerMinute[i]!;
    totalSum += perMinute[i]!;
    bad[i + 1] = badSum;
    total[i + 1] = totalSum;
  }
  return { startMinute: sli.startMinute, bad, total, allowed: null, share: 1 - target };
}

/** An empty group ledger over `length` running sums, to add members into with addToGroup. */
export function emptyGroupLedger(startMinute: number, length: number): BudgetLedger {
  return { startMinute, bad: new Float64Array(length), total: new Float64Array(length), allowed: new Float64Array(length), share: null };
}

/** Adds an SLO's bad and allowed requests into a group's ledger (same minutes required). */
export function addToGroup(group: BudgetLedger, member: BudgetLedger): void {
  const n = group.bad.length;
  if (member.startMinute !== group.startMinute || member.bad.length !== n) throw new Error("group members must cover the same minutes");
  const { bad, total } = group;
  const allowed = group.allowed!;
  const share = member.share ?? 0;
  for (let i = 0; i < n; i++) {
    bad[i] = bad[i]! + member.bad[i]!;
    total[i] = total[i]! + member.total[i]!;
    allowed[i] = allowed[i]! + (member.allowed ? member.allowed[i]! : member.total[i]! * share);
  }
}

/**
 * Burn rate over the `windowMinutes` before index `end` (exclusive): 1 means the budget is being spent
 * exactly as fast as the SLO window allows. NaN without traffic (Prometheus' 0/0), which fires nothing.
 */
export function burnRateAt(ledger: BudgetLedger, end: number, windowMinutes: number): number {
  const from = end > windowMinutes ? end - windowMinutes : 0;
  return burnOver(ledger, from, end);
}

// Error ratio first, then divided by 1 - target: the recording rules' order, so both give the same double.
function burnOver({ bad, total, allowed, share }: BudgetLedger, from: number, end: number): number {
  const requests = total[end]! - total[from]!;
  if (requests === 0) return Number.NaN;
  return allowed ? (bad[end]! - bad[from]!) / (allowed[end]! - allowed[from]!) : (bad[end]! - bad[from]!) / requests / share!;
}

export interface TierReading {
  tier: TierName;
  severity: BurnRateTier["severity"];
  factor: number;
  longBurnRate: number;
  shortBurnRate: number;
  conditionMet: boolean;
}

/** A tier at these burn rates: its condition is met when both windows burn faster than its factor. */
export function tierReading(tier: BurnRateTier, longBurnRate: number, shortBurnRate: number): TierReading {
  const conditionMet = longBurnRate > tier.factor && shortBurnRate > tier.factor;
  return { tier: tier.name, severity: tier.severity, factor: tier.factor, longBurnRate, shortBurnRate, conditionMet };
}

/** Every tier's burn rates at index `end`. */
export function readTiers(ledger: BudgetLedger, tiers: readonly BurnRateTier[], end: number): TierReading[] {
  return tiers.map((tier) => tierReading(tier, burnRateAt(ledger, end, tier.longMinutes), burnRateAt(ledger, end, tier.shortMinutes)));
}

/** Share of the error budget left over the SLO window ending at index `end` (negative when overspent). */
export function budgetRemainingAt(ledger: BudgetLedger, end: number, windowMinutes: number): number {
  const spent = burnOver(ledger, Math.max(0, end - windowMinutes), end);
  return Number.isNaN(spent) ? 1 : 1 - spent;
}

export interface AlertTransition {
  tier: AlertName;
  severity: BurnRateTier["severity"];
  minute: number;
  from: AlertState;
  to: AlertState;
  /** NaN (null in JSON) for no-data, which judges requests, not a burn. */
  longBurnRate: number;
  shortBurnRate: number;
}

export interface AlertReplay {
  /** Each tier's alert after the last minute. */
  alerts: Record<string, TierAlert>;
  transitions: AlertTransition[];
}

/**
 * Replays every tier's alert over the ledger, evaluating at the end of each minute from `fromIndex` on
 * (as a rule evaluated once a minute would), starting from the given alerts (inactive by default).
 */
export function replayAlerts(
  ledger: BudgetLedger,
  tiers: readonly BurnRateTier[],
  options: { fromIndex?: number; initial?: Record<string, TierAlert> } = {},
): AlertReplay {
  const n = ledger.bad.length - 1;
  const transitions: AlertTransition[] = [];
  const alerts: Record<string, TierAlert> = {};
  const { bad, total, allowed, share } = ledger;
  const against = allowed ?? total;
  for (const tier of tiers) {
    const { longMinutes: long, shortMinutes: short, factor } = tier;
    let alert = options.initial?.[tier.name] ?? INACTIVE;
    // Bad requests a window may hold before its burn exceeds the factor, per request (or per allowed
    // request for a group), less a hair: windows clearly under it are passed over without dividing, and
    // only those near or over it take the exact path, so the comparison stays Prometheus' own.
    const below = factor * (share ?? 1) * (1 - 1e-9);
    // While inactive, whole blocks of a quarter of the long window are passed over when even the most bad
    // requests any of their windows could hold, against the fewest requests it must hold, stay under the
    // factor: no minute of such a block can start the alert.
    const block = Math.max(1, Math.floor(long / 4));
    for (let end = Math.max(1, options.fromIndex ?? 1); end <= n; end++) {
      if (alert.state === "inactive") {
        const blockEnd = Math.min(n, end + block - 1);
        if (blockEnd > end && bad[blockEnd]! - bad[end > long ? end - long : 0]! <= below * (against[end]! - against[blockEnd > long ? blockEnd - long : 0]!)) {
          end = blockEnd;
          continue;
        }
        const lf = end > long ? end - long : 0;
        if (bad[end]! - bad[lf]! <= below * (against[end]! - against[lf]!)) continue;
        const sf = end > short ? end - short : 0;
        if (bad[end]! - bad[sf]! <= below * (against[end]! - against[sf]!)) continue;
      }
      const longBurnRate = burnOver(ledger, end > long ? end - long : 0, end);
      const shortBurnRate = burnOver(ledger, end > short ? end - short : 0, end);
      const conditionMet = longBurnRate > factor && shortBurnRate > factor;
      if (!conditionMet && alert.state === "inactive") continue;
      const minute = ledger.startMinute + end;
      const next = stepAlert(alert, conditionMet, minute, tier.forMinutes);
      if (next.state !== alert.state) {
        transitions.push({ tier: tier.name, severity: tier.severity, minute, from: alert.state, to: next.state, longBurnRate, shortBurnRate });
      }
      alert = next;
    }
    alerts[tier.name] = alert;
  }
  transitions.sort((a, b) => a.minute - b.minute);
  return { alerts, transitions };
}
