// Two places the SLOs can be read from, behind one interface: the embedded minute rollups evaluated by
// the engine, and Prometheus, queried over the generated recording rules (and ALERTS for the tiers'
// states). The portal and the alerting read whichever the configuration names.
import type { SqlDatabase } from "../data/sql-database.ts";
import type { AlertState } from "./alert-state.ts";
import { tierReading } from "./burn-rate.ts";
import { promDuration, tiersFor } from "./burn-rate-tiers.ts";
import type { SloDefinition } from "./load-slos.ts";
import { NO_DATA_ALERT, NO_DATA_SEVERITY, NO_DATA_WINDOW_MINUTES, type NoDataStatus } from "./no-data.ts";
import { BUDGET_REMAINING_RECORD, BURN_ALERT, JOURNEY_REQUESTS_METRIC, burnRateRecord, groupBurnRateExpr, recordedWindows } from "./prometheus-rules.ts";
import { sloGroups } from "./evaluate-slos.ts";
import { type SloReport, sloReport, sloSummary } from "./slo-status.ts";

export interface SloReportSource {
  readonly kind: "embedded" | "prometheus";
  report(now: Date): Promise<SloReport>;
}

export function embeddedSloSource(store: SqlDatabase, slos: readonly SloDefinition[]): SloReportSource {
  return { kind: "embedded", report: (now) => sloReport(store, slos, now) };
}

interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

async function instantQuery(url: string, query: string, at: Date): Promise<PromSample[]> {
  const res = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query, time: String(at.getTime() / 1000) })}`, { signal: AbortSignal.timeout(10_000) });
  const body = (await res.json()) as { status: string; error?: string; data?: { resultType: string; result: PromSample[] } };
  if (body.status !== "success" || !body.data) throw new Error(`Prometheus at ${url} refused ${query}: ${body.error ?? res.status}`);
  return body.data.result;
}

/**
 * Prometheus as the source: burn rates and budgets are the recording rules' series, a tier's state is its
 * ALERTS series, and so is no-data's (pending or firing; Prometheus keeps no resolved alerts, nor a replayable history, so
 * `transitions` is empty and a resolved tier reads inactive). Groups are computed with PromQL from their
 * members' counters, as the engine adds their ledgers; there are no group alert rules, so their tiers read
 * inactive.
 */
export function prometheusSloSource(url: string, slos: readonly SloDefinition[]): SloReportSource {
  const windows = [...new Set(slos.flatMap((s) => recordedWindows(s)))];
  return {
    kind: "prometheus",
    async report(now) {
      const bySlo = (samples: PromSample[]) => new Map(samples.map((s) => [s.metric.slo!, Number(s.value[1])]));
      const burn = new Map(await Promise.all(windows.map(async (w) => [w, bySlo(await instantQuery(url, burnRateRecord(w), now))] as const)));
      const budget = bySlo(await instantQuery(url, BUDGET_REMAINING_RECORD, now));
      const alerts = new Map<string, AlertState>();
      for (const a of await instantQuery(url, `ALERTS{alertname="${BURN_ALERT}"}`, now)) {
        const key = `${a.metric.slo} ${a.metric.burnrate_tier}`;
        // An alert both pending and firing cannot be; if a scrape shows both, firing wins.
        if (alerts.get(key) !== "firing") alerts.set(key, a.metric.alertstate === "firing" ? "firing" : "pending");
      }
      const silent = new Map<string, AlertState>();
      for (const a of await instantQuery(url, `ALERTS{alertname="${NO_DATA_ALERT}"}`, now))
        if (silent.get(a.metric.slo!) !== "firing") silent.set(a.metric.slo!, a.metric.alertstate === "firing" ? "firing" : "pending");
      const sideRequests = new Map(
        (await instantQuery(url, `sum by (journey, source) (increase(${JOURNEY_REQUESTS_METRIC}[${promDuration(NO_DATA_WINDOW_MINUTES)}]))`, now)).map(
          (s) => [`${s.metric.source} ${s.metric.journey}`, Number(s.value[1])] as const,
        ),
      );
      const noDataOf = (slo: SloDefinition): NoDataStatus | null =>
        slo.noDataAgainst && {
          state: silent.get(slo.name) ?? "inactive",
          severity: NO_DATA_SEVERITY,
          against: slo.noDataAgainst,
          requests: sideRequests.get(`${slo.source} ${slo.journey}`) ?? 0,
          againstRequests: sideRequests.get(`${slo.noDataAgainst} ${slo.journey}`) ?? 0,
        };
      const nanTo = (x: number | undefined, fallback: number) => (x === undefined || Number.isNaN(x) ? fallback : x);
      const reportSlos = slos.map((slo) => ({
        ...sloSummary(slo),
        budgetRemaining: nanTo(budget.get(slo.name), 1),
        tiers: slo.tiers.map((tier) => ({
          ...tierReading(tier, nanTo(burn.get(tier.longMinutes)?.get(slo.name), Number.NaN), nanTo(burn.get(tier.shortMinutes)?.get(slo.name), Number.NaN)),
          state: alerts.get(`${slo.name} ${tier.name}`) ?? "inactive",
        })),
        transitions: [],
        noData: noDataOf(slo),
      }));
      const groupReports = await Promise.all(
        sloGroups(slos).map(async ({ name, service, windowMinutes, members }) => {
          const value = async (minutes: number) =>
            nanTo(Number((await instantQuery(url, groupBurnRateExpr(members, minutes), now))[0]?.value[1] ?? Number.NaN), Number.NaN);
          const tiers = await Promise.all(
            tiersFor(windowMinutes).map(async (tier) => {
              const [longBurnRate, shortBurnRate] = await Promise.all([value(tier.longMinutes), value(tier.shortMinutes)]);
              return { ...tierReading(tier, longBurnRate, shortBurnRate), state: "inactive" as AlertState };
            }),
          );
          const spent = await value(windowMinutes);
          return {
            name,
            service,
            members: members.map((m) => m.name),
            budgetRemaining: Number.isNaN(spent) ? 1 : 1 - spent,
            tiers,
            transitions: [],
            noData: null,
          };
        }),
      );
      return { evaluatedAt: now.toISOString(), slos: reportSlos, groups: groupReports };
    },
  };
}
