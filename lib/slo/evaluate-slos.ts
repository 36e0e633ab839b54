// One evaluation of the lab's SLOs over their minute rollups: each SLO's budget left, its tiers' burn rates
// now, and every tier's alert replayed over the data (the alert history the portal shows); and the same for
// each service's group, its SLOs' budgets added.
import type { AlertState } from "./alert-state.ts";
import {
  type AlertTransition,
  type BudgetLedger,
  type SliMinutes,
  type TierReading,
  addToGroup,
  budgetLedger,
  budgetRemainingAt,
  emptyGroupLedger,
  readTiers,
  replayAlerts,
} from "./burn-rate.ts";
import { type AlertName, promDuration, tiersFor } from "./burn-rate-tiers.ts";
import type { SloDefinition } from "./load-slos.ts";
import { NO_DATA, NO_DATA_SEVERITY, type NoDataStatus, replayNoData } from "./no-data.ts";
import type { SliSource } from "./sli-recorder.ts";

export interface SloStatus {
  name: string;
  /** Budget left over the SLO window (1 = untouched, below 0 = overspent). */
  budgetRemaining: number;
  tiers: (TierReading & { state: AlertState })[];
  transitions: AlertTransition[];
  /** The no-data alert of an SLO whose journey the other side counts too; null for the others and for groups. */
  noData: NoDataStatus | null;
}

export interface SloGroupStatus extends SloStatus {
  service: string;
  members: string[];
}

function statusOf(name: string, ledger: BudgetLedger, definition: Pick<SloDefinition, "tiers" | "windowMinutes">, fromIndex: number): SloStatus {
  const end = ledger.bad.length - 1;
  const { alerts, transitions } = replayAlerts(ledger, definition.tiers, { fromIndex });
  return {
    name,
    budgetRemaining: budgetRemainingAt(ledger, end, definition.windowMinutes),
    tiers: readTiers(ledger, definition.tiers, end).map((r) => ({ ...r, state: alerts[r.tier]!.state })),
    transitions,
    noData: null,
  };
}

/** Every alert of an SLO as it stands: its burn-rate tiers, then its no-data alert when it has one. */
export function alertsNow(status: Pick<SloStatus, "tiers" | "noData">): { alert: AlertName; state: AlertState; severity: "page" | "ticket" }[] {
  const tiers = status.tiers.map((t) => ({ alert: t.tier as AlertName, state: t.state, severity: t.severity }));
  return status.noData ? [...tiers, { alert: NO_DATA, state: status.noData.state, severity: status.noData.severity }] : tiers;
}

/** An SLO's status with its no-data alert, replayed over the same minutes as its tiers. */
function withNoData(status: SloStatus, sli: SliMinutes, against: SliSource, againstRequests: ArrayLike<number>, fromIndex: number): SloStatus {
  const replay = replayNoData(sli.total, againstRequests, sli.startMinute, fromIndex);
  return {
    ...status,
    transitions: [...status.transitions, ...replay.transitions].sort((a, b) => a.minute - b.minute),
    noData: { state: replay.alert.state, severity: NO_DATA_SEVERITY, against, requests: replay.requests, againstRequests: replay.againstRequests },
  };
}

/**
 * Evaluates every SLO on the minutes `sliOf` gives it (all SLOs must cover the same minutes for their
 * groups to add up); a group per service and window holds that service's SLOs of that window. Alerts are
 * replayed from `replayFromIndex` on, where the caller's data fills the longest tier window.
 */
export function evaluateSlos(
  slos: readonly SloDefinition[],
  sliOf: (slo: SloDefinition) => SliMinutes,
  options: {
    replayFromIndex?: number;
    /** Per-minute requests of a journey on one side, over the same minutes: for the no-data alerts (none without it). */
    requestsOf?: (journey: string, source: SliSource) => ArrayLike<number>;
  } = {},
): { slos: SloStatus[]; groups: SloGroupStatus[] } {
  const fromIndex = options.replayFromIndex ?? 1;
  const groups = sloGroups(slos).map((group) => ({ group, ledger: null as BudgetLedger | null }));
  const groupOf = new Map(groups.flatMap((g) => g.group.members.map((m) => [m.name, g] as const)));
  const statuses: SloStatus[] = [];
  // One SLO at a time through one pair of running-sum arrays: fresh arrays per SLO cost more (page
  // faults and garbage) than the evaluation itself (bench:slo).
  let scratch: { bad: Float64Array; total: Float64Array } | undefined;
  for (const slo of slos) {
    const sli = sliOf(slo);
    const ledger = budgetLedger(sli, slo.target, scratch);
    scratch = ledger;
    const status = statusOf(slo.name, ledger, slo, fromIndex);
    const against = slo.noDataAgainst;
    statuses.push(against && options.requestsOf ? withNoData(status, sli, against, options.requestsOf(slo.journey, against), fromIndex) : status);
    const g = groupOf.get(slo.name)!;
    g.ledger ??= emptyGroupLedger(ledger.startMinute, ledger.bad.length);
    addToGroup(g.ledger, ledger);
  }
  const groupStatuses = groups.map(({ group, ledger }) => {
    const status = statusOf(group.name, ledger!, { windowMinutes: group.windowMinutes, tiers: tiersFor(group.windowMinutes) }, fromIndex);
    return { ...status, service: group.service, members: group.members.map((m) => m.name) };
  });
  return { slos: statuses, groups: groupStatuses };
}

export interface SloGroup {
  /** `<service>-<window>`, e.g. clinical-30d. */
  name: string;
  service: string;
  windowMinutes: number;
  members: SloDefinition[];
}

/** A service's SLOs of one window, rolled up: the groups every SLO source reports. */
export function sloGroups(slos: readonly SloDefinition[]): SloGroup[] {
  const groups = new Map<string, SloGroup>();
  for (const slo of slos) {
    const name = `${slo.service}-${promDuration(slo.windowMinutes)}`;
    const group = groups.get(name) ?? { name, service: slo.service, windowMinutes: slo.windowMinutes, members: [] };
    groups.set(name, group);
    group.members.push(slo);
  }
  return [...groups.values()];
}
