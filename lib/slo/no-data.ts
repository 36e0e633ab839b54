// The no-data alert: an SLO whose side of its journey counted nothing for NO_DATA_WINDOW_MINUTES whole
// minutes while the other side (client or server) counted the same journey's traffic in every one of them.
// Every one: a window that reaches back before the traffic began (a lab's first minutes, where one side's
// first outcomes land a minute after the other's) is a start, not a blind spot. A burn-rate alert
// cannot see a blind spot (no requests is no burn: Prometheus' 0/0), so an SLI that stops reporting would
// leave its SLO green while users fail. Only journeys counted on both sides have one: silence on a side
// with nothing to compare against is a quiet hour, not a blind spot (and shedding every user fires nothing).
import { type AlertState, INACTIVE, type TierAlert, stepAlert } from "./alert-state.ts";
import type { AlertTransition } from "./burn-rate.ts";
import type { SloDefinition } from "./load-slos.ts";
import type { SliSource } from "./sli-recorder.ts";

export const NO_DATA = "no-data";
export const NO_DATA_ALERT = "PimLabSliNoData";
export const NO_DATA_WINDOW_MINUTES = 5;
/** One more evaluation after the window is silent, as a rule's `for` would: a Prometheus evaluation that falls between scrapes still agrees. */
export const NO_DATA_FOR_MINUTES = 1;
/** Blind, the SLO's own alerts cannot fire: as urgent as its fastest page. */
export const NO_DATA_SEVERITY = "page";

export interface NoDataStatus {
  state: AlertState;
  severity: typeof NO_DATA_SEVERITY;
  /** The side whose traffic the silence is judged against. */
  against: SliSource;
  /** Requests over the last window, on this SLO's side and on the other. */
  requests: number;
  againstRequests: number;
}

/** For each SLO, the other side of its journey when some SLO counts it there; null when none does. */
export function noDataSides(slos: readonly Pick<SloDefinition, "journey" | "source">[]): (SliSource | null)[] {
  const sides = new Set(slos.map((s) => `${s.source} ${s.journey}`));
  return slos.map((s) => {
    const other = s.source === "server" ? "client" : "server";
    return sides.has(`${other} ${s.journey}`) ? other : null;
  });
}

/**
 * Replays the no-data alert minute by minute over two per-minute request counts (this side's, the other
 * side's), evaluated at the end of each minute from `fromIndex` on; minute i is `startMinute + i`.
 */
export function replayNoData(
  own: ArrayLike<number>,
  other: ArrayLike<number>,
  startMinute: number,
  fromIndex = 1,
): { alert: TierAlert; transitions: AlertTransition[]; requests: number; againstRequests: number } {
  const n = own.length;
  const ownSum = new Float64Array(n + 1);
  const otherSum = new Float64Array(n + 1);
  const otherSilentMinutes = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    ownSum[i + 1] = ownSum[i]! + own[i]!;
    otherSum[i + 1] = otherSum[i]! + (other[i] ?? 0);
    otherSilentMinutes[i + 1] = otherSilentMinutes[i]! + ((other[i] ?? 0) > 0 ? 0 : 1);
  }
  const w = NO_DATA_WINDOW_MINUTES;
  const windowOf = (sum: Float64Array, end: number) => sum[end]! - sum[Math.max(0, end - w)]!;
  let alert = INACTIVE;
  const transitions: AlertTransition[] = [];
  for (let end = Math.max(w, fromIndex); end <= n; end++) {
    const conditionMet = windowOf(ownSum, end) === 0 && windowOf(otherSilentMinutes, end) === 0;
    if (!conditionMet && alert.state === "inactive") continue;
    const minute = startMinute + end;
    const next = stepAlert(alert, conditionMet, minute, NO_DATA_FOR_MINUTES);
    if (next.state !== alert.state)
      transitions.push({
        tier: NO_DATA,
        severity: NO_DATA_SEVERITY,
        minute,
        from: alert.state,
        to: next.state,
        longBurnRate: Number.NaN,
        shortBurnRate: Number.NaN,
      });
    alert = next;
  }
  return { alert, transitions, requests: windowOf(ownSum, n), againstRequests: windowOf(otherSum, n) };
}

/** Why a no-data alert changed, in words, for the alert history and the narrative. */
export function noDataReason(to: AlertState): string {
  return to === "inactive" || to === "resolved"
    ? "requests counted on this side again"
    : `no requests counted on this side for ${NO_DATA_WINDOW_MINUTES} min while the other side counted the journey every minute`;
}
