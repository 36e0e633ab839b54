// Prometheus recording and alerting rules generated from an SLO definition: one group per SLO, a burn-rate
// series per window the tiers and the budget need, and one alert per tier. The expressions use increase()
// over whole-minute windows and divide in the engine's order (error ratio, then / (1 - target)), so with a
// once-a-minute scrape Prometheus and lib/slo/burn-rate.ts compute the same numbers.
import { stringify } from "yaml";
import { type BurnRateTier, promDuration } from "./burn-rate-tiers.ts";
import { runbookPath } from "../runbooks/runbook-paths.ts";
import type { SloDefinition } from "./load-slos.ts";
import { NO_DATA, NO_DATA_ALERT, NO_DATA_FOR_MINUTES, NO_DATA_SEVERITY, NO_DATA_WINDOW_MINUTES } from "./no-data.ts";

export const JOURNEY_REQUESTS_METRIC = "pimlab_journey_requests_total";
export const JOURNEY_DURATION_METRIC = "pimlab_journey_request_duration_seconds";
export const BURN_ALERT = "PimLabErrorBudgetBurn";

export const burnRateRecord = (windowMinutes: number) => `pimlab_slo:burn_rate:${promDuration(windowMinutes)}`;
export const BUDGET_REMAINING_RECORD = "pimlab_slo:error_budget_remaining";

/** Labels every series of an SLO carries, so the two windows of a tier match in `and`. */
export function sloLabels(slo: SloDefinition): Record<string, string> {
  return { slo: slo.name, journey: slo.journey, source: slo.source, service: slo.service, sli: slo.sli.kind };
}

/** Windows an SLO's rules record: each tier's two, and the SLO window for the budget. */
export function recordedWindows(slo: SloDefinition): number[] {
  return [...new Set([...slo.tiers.flatMap((t) => [t.shortMinutes, t.longMinutes]), slo.windowMinutes])].sort((a, b) => a - b);
}

const selector = (slo: SloDefinition, extra = "") => `{journey="${slo.journey}",source="${slo.source}"${extra}}`;

/** Bad requests of the SLI within a window, in PromQL (a label-less vector). */
export function badIncreaseExpr(slo: SloDefinition, windowMinutes: number): string {
  const w = promDuration(windowMinutes);
  if (slo.sli.kind === "availability") {
    // `or vector(0)`: a journey that never failed has no error series, and its bad count is 0, not absent.
    return `(sum(increase(${JOURNEY_REQUESTS_METRIC}${selector(slo, ',outcome="error"')}[${w}])) or vector(0))`;
  }
  const fast = `sum(increase(${JOURNEY_DURATION_METRIC}_bucket${selector(slo, `,le="${slo.sli.thresholdMs / 1000}"`)}[${w}]))`;
  return `(${totalIncreaseExpr(slo, windowMinutes)} - ${fast})`;
}

/** All requests of the SLI within a window, in PromQL. */
export function totalIncreaseExpr(slo: SloDefinition, windowMinutes: number): string {
  const w = promDuration(windowMinutes);
  return slo.sli.kind === "availability"
    ? `sum(increase(${JOURNEY_REQUESTS_METRIC}${selector(slo)}[${w}]))`
    : `sum(increase(${JOURNEY_DURATION_METRIC}_count${selector(slo)}[${w}]))`;
}

/** The SLI's error ratio over a window, in PromQL: bad requests / all requests. */
export function errorRatioExpr(slo: SloDefinition, windowMinutes: number): string {
  return `${badIncreaseExpr(slo, windowMinutes)} / ${totalIncreaseExpr(slo, windowMinutes)}`;
}

/** A group's burn rate over a window: its members' bad requests over the bad requests each allows. */
export function groupBurnRateExpr(members: readonly SloDefinition[], windowMinutes: number): string {
  const bad = members.map((m) => badIncreaseExpr(m, windowMinutes)).join(" + ");
  const allowed = members.map((m) => `(${totalIncreaseExpr(m, windowMinutes)} or vector(0)) * ${String(1 - m.target)}`).join(" + ");
  return `(${bad}) / (${allowed})`;
}

export interface RuleGroup {
  name: string;
  interval: string;
  rules: Record<string, unknown>[];
}

export function sloRuleGroup(slo: SloDefinition): RuleGroup {
  const labels = sloLabels(slo);
  const share = String(1 - slo.target);
  const match = `{slo="${slo.name}"}`;
  const records = recordedWindows(slo).map((minutes) => ({ record: burnRateRecord(minutes), expr: `(${errorRatioExpr(slo, minutes)}) / ${share}`, labels }));
  const budget = {
    record: BUDGET_REMAINING_RECORD,
    expr: `1 - ${burnRateRecord(slo.windowMinutes)}${match}`,
    labels: { ...labels, slo_window: promDuration(slo.windowMinutes) },
  };
  const alerts = slo.tiers.map((tier) => ({
    alert: BURN_ALERT,
    expr: `${burnRateRecord(tier.longMinutes)}${match} > ${tier.factor} and ${burnRateRecord(tier.shortMinutes)}${match} > ${tier.factor}`,
    for: promDuration(tier.forMinutes),
    labels: alertRuleLabels(slo, tier),
    annotations: alertAnnotations(slo, tier),
  }));
  return {
    name: `pimlab-slo-${slo.name}`,
    interval: "1m",
    rules: [...records, budget, ...alerts, ...(slo.noDataAgainst ? [noDataRule(slo, slo.noDataAgainst)] : [])],
  };
}

/** A journey's requests on one side within the no-data window: all of them, whatever the SLI judges. */
export function sideRequestsExpr(journey: string, source: string): string {
  return `sum(increase(${JOURNEY_REQUESTS_METRIC}{journey="${journey}",source="${source}"}[${promDuration(NO_DATA_WINDOW_MINUTES)}]))`;
}

/**
 * The no-data alert (lib/slo/no-data.ts): this side counted nothing in the window while the other side
 * counted the journey in every minute of it (the subquery's five one-minute points, as Prometheus 2's
 * closed ranges take them). `or vector(0)`: a gateway that is not scraped has no series, and that silence counts too.
 */
export function noDataRule(slo: SloDefinition, against: string): Record<string, unknown> {
  const window = promDuration(NO_DATA_WINDOW_MINUTES);
  const otherEveryMinute = `min_over_time(sum(increase(${JOURNEY_REQUESTS_METRIC}{journey="${slo.journey}",source="${against}"}[1m]))[${promDuration(NO_DATA_WINDOW_MINUTES - 1)}:1m])`;
  return {
    alert: NO_DATA_ALERT,
    expr: `(${sideRequestsExpr(slo.journey, slo.source)} or vector(0)) == 0 and on() ${otherEveryMinute} > 0`,
    for: promDuration(NO_DATA_FOR_MINUTES),
    labels: { slo: slo.name, severity: NO_DATA_SEVERITY, journey: slo.journey, source: slo.source, against },
    annotations: {
      summary: `${slo.displayName}: no ${slo.source}-side requests counted for ${window} while the ${against} side counted the journey every minute`,
      runbook_url: `${RULES_PORTAL_ORIGIN}${runbookPath(slo.name, NO_DATA)}`,
      description: `${slo.name} is blind: its SLI (${slo.journey}, ${slo.source} side) had no requests in ${window} while the ${against} side counted traffic every minute, so its burn-rate alerts cannot fire.`,
    },
  };
}

/** The labels a tier's alert rule adds to the SLO's own. */
export function alertRuleLabels(slo: SloDefinition, tier: BurnRateTier): Record<string, string> {
  return {
    slo: slo.name,
    severity: tier.severity,
    burnrate_tier: tier.name,
    long_window: promDuration(tier.longMinutes),
    short_window: promDuration(tier.shortMinutes),
    factor: String(tier.factor),
  };
}

/**
 * Where the alerts' runbook links point: the portal of a lab on its embedded defaults. Rules files are
 * generated once for every deployment, so the link is to the default port; the portal shows the same
 * runbook beside the alert on the SLO's page.
 */
export const RULES_PORTAL_ORIGIN = "http://127.0.0.1:3000";

// Static text (no $value): the portal and Grafana show the live numbers, and rule tests can state it exactly.
export function alertAnnotations(slo: SloDefinition, tier: BurnRateTier): Record<string, string> {
  const long = promDuration(tier.longMinutes);
  return {
    summary: `${slo.displayName}: error budget burning over ${tier.factor}x (${tier.name})`,
    runbook_url: `${RULES_PORTAL_ORIGIN}${runbookPath(slo.name, tier.name)}`,
    description: `${slo.name} spent its error budget faster than ${tier.factor}x over both ${long} and ${promDuration(tier.shortMinutes)}: at that pace ${tier.budgetPercent} % of the ${promDuration(slo.windowMinutes)} budget goes in ${long}.`,
  };
}

/** A rules file (Prometheus `rule_files` format) for these SLOs. */
export function rulesFile(slos: readonly SloDefinition[]): string {
  return `# Generated by npm run slo:generate from ${[...new Set(slos.map((s) => s.file))].join(", ")}; do not edit.\n${stringify({ groups: slos.map(sloRuleGroup) }, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
