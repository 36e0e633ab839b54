// A Grafana dashboard per SLO, over the generated recording rules: budget left, burn rate per tier window
// against its factor, the alert states, and the journey's traffic. The data source is a dashboard
// variable, so the file imports into any Grafana with a Prometheus data source.
import { promDuration } from "./burn-rate-tiers.ts";
import type { SloDefinition } from "./load-slos.ts";
import { BUDGET_REMAINING_RECORD, BURN_ALERT, JOURNEY_DURATION_METRIC, JOURNEY_REQUESTS_METRIC, burnRateRecord } from "./prometheus-rules.ts";

const DATASOURCE = { type: "prometheus", uid: "${datasource}" };

/** A generated SLO dashboard's Grafana uid, from the SLO's name (Grafana caps uids at 40 characters). */
export const dashboardUidOf = (sloName: string) => `pimlab-${sloName}`.slice(0, 40);
export const dashboardUid = (slo: SloDefinition) => dashboardUidOf(slo.name);

export function sloDashboard(slo: SloDefinition): Record<string, unknown> {
  const match = `{slo="${slo.name}"}`;
  const target = (expr: string, legendFormat: string, refId: string) => ({ datasource: DATASOURCE, expr, legendFormat, refId });
  const panel = (
    id: number,
    title: string,
    type: string,
    gridPos: Record<string, number>,
    targets: unknown[],
    fieldConfig: Record<string, unknown> = {},
    options: Record<string, unknown> = {},
  ) => ({
    id,
    title,
    type,
    datasource: DATASOURCE,
    gridPos,
    targets,
    fieldConfig: { defaults: fieldConfig, overrides: [] },
    options,
  });
  const requests =
    slo.sli.kind === "availability"
      ? target(`sum by (outcome) (rate(${JOURNEY_REQUESTS_METRIC}{journey="${slo.journey}",source="${slo.source}"}[5m]))`, "{{outcome}}", "A")
      : target(
          `histogram_quantile(0.99, sum by (le) (rate(${JOURNEY_DURATION_METRIC}_bucket{journey="${slo.journey}",source="${slo.source}"}[5m])))`,
          "p99 latency",
          "A",
        );
  return {
    uid: dashboardUid(slo),
    title: `SLO: ${slo.displayName}`,
    description: `${slo.description} Generated from ${slo.file} by npm run slo:generate.`,
    tags: ["pim-sre-lab", "slo", slo.service, slo.journey],
    timezone: "utc",
    schemaVersion: 39,
    time: { from: "now-24h", to: "now" },
    refresh: "1m",
    templating: { list: [{ name: "datasource", type: "datasource", query: "prometheus", label: "Prometheus" }] },
    annotations: {
      list: [
        {
          name: "Burn-rate alerts",
          datasource: DATASOURCE,
          enable: true,
          iconColor: "red",
          expr: `ALERTS{alertname="${BURN_ALERT}",alertstate="firing",slo="${slo.name}"}`,
          titleFormat: "{{burnrate_tier}} firing",
        },
      ],
    },
    panels: [
      panel(
        1,
        `Error budget left (${promDuration(slo.windowMinutes)})`,
        "stat",
        { x: 0, y: 0, w: 6, h: 6 },
        [target(`${BUDGET_REMAINING_RECORD}${match}`, "budget", "A")],
        {
          unit: "percentunit",
          thresholds: {
            mode: "absolute",
            steps: [
              { color: "red", value: null },
              { color: "orange", value: 0.25 },
              { color: "green", value: 0.5 },
            ],
          },
        },
      ),
      panel(
        2,
        `Objective: ${(slo.target * 100).toFixed(2)} % ${slo.sli.kind === "latency" ? `within ${slo.sli.thresholdMs} ms` : "succeed"}`,
        "text",
        { x: 6, y: 0, w: 6, h: 6 },
        [],
        {},
        {
          mode: "markdown",
          content: `**${slo.journey}** (${slo.source} side), service **${slo.service}**.\n\n${slo.tiers.map((t) => `- ${t.name}: ${t.factor}x over ${promDuration(t.longMinutes)} and ${promDuration(t.shortMinutes)} (${t.severity})`).join("\n")}`,
        },
      ),
      panel(3, "Burn-rate alerts", "state-timeline", { x: 12, y: 0, w: 12, h: 6 }, [
        target(`max by (burnrate_tier, alertstate) (ALERTS{alertname="${BURN_ALERT}",slo="${slo.name}"})`, "{{burnrate_tier}} {{alertstate}}", "A"),
      ]),
      ...slo.tiers.map((tier, i) =>
        panel(
          4 + i,
          `${tier.name}: burn rate over ${promDuration(tier.longMinutes)} and ${promDuration(tier.shortMinutes)} (fires above ${tier.factor}x)`,
          "timeseries",
          { x: (i % 2) * 12, y: 6 + Math.floor(i / 2) * 8, w: 12, h: 8 },
          [
            target(`${burnRateRecord(tier.longMinutes)}${match}`, `${promDuration(tier.longMinutes)} window`, "A"),
            target(`${burnRateRecord(tier.shortMinutes)}${match}`, `${promDuration(tier.shortMinutes)} window`, "B"),
          ],
          {
            unit: "x",
            custom: { thresholdsStyle: { mode: "line" } },
            thresholds: {
              mode: "absolute",
              steps: [
                { color: "green", value: null },
                { color: "red", value: tier.factor },
              ],
            },
          },
        ),
      ),
      panel(
        20,
        slo.sli.kind === "availability" ? "Requests per second by outcome" : "p99 latency",
        "timeseries",
        { x: 0, y: 22, w: 24, h: 8 },
        [requests],
        slo.sli.kind === "availability" ? { unit: "reqps" } : { unit: "s" },
      ),
    ],
  };
}
