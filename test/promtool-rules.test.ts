// The generated Prometheus rules, checked and unit-tested by the real promtool (Debian's prometheus
// package), with the burn-rate engine as the oracle: each scenario's traffic goes to the engine and, as
// scraped counters, to promtool; the alerts the engine says are firing, and the burn rates and budget it
// computes, are promtool's expected values.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { type SliMinutes, budgetLedger, budgetRemainingAt, burnRateAt, replayAlerts } from "../lib/slo/burn-rate.ts";
import { promDuration } from "../lib/slo/burn-rate-tiers.ts";
import { type SloDefinition, loadSloDirectory } from "../lib/slo/load-slos.ts";
import {
  BUDGET_REMAINING_RECORD,
  alertAnnotations,
  alertRuleLabels,
  burnRateRecord,
  noDataRule,
  recordedWindows,
  rulesFile,
  sloLabels,
} from "../lib/slo/prometheus-rules.ts";
import { NO_DATA_ALERT, replayNoData } from "../lib/slo/no-data.ts";
import { type TrafficSegment, counterValues, inputSeries, promtool, promtoolAvailable, sliOfSegments } from "./support/promtool.ts";

const root = join(import.meta.dirname, "..");
const slos = loadSloDirectory(join(root, "slo"), root);
const slo = (name: string) => slos.find((s) => s.name === name)!;
const dir = mkdtempSync(join(tmpdir(), "pimlab-promtool-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Which tiers the engine has firing at each of these minutes. */
function firingAt(definition: SloDefinition, sli: SliMinutes, minutes: number[]) {
  const ledger = budgetLedger(sli, definition.target);
  return minutes.map((minute) => {
    const { alerts } = replayAlerts({ ...ledger, bad: ledger.bad.subarray(0, minute + 1), total: ledger.total.subarray(0, minute + 1) }, definition.tiers);
    return { minute, firing: definition.tiers.filter((t) => alerts[t.name]!.state === "firing") };
  });
}

/** Writes the SLO's rules and a promtool test of the engine's view of `sli` at `minutes`, runs it. */
function promtoolAgrees(definition: SloDefinition, sli: SliMinutes, alertMinutes: number[], valueMinutes: number[] = []) {
  const name = `${definition.name}-${alertMinutes.join("-")}`;
  writeFileSync(join(dir, `${name}.rules.yaml`), rulesFile([definition]));
  const ledger = budgetLedger(sli, definition.target);
  const labels = sloLabels(definition);
  const seriesName = (metric: string, extra: Record<string, string> = {}) =>
    `${metric}{${Object.entries({ ...labels, ...extra })
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}="${v}"`)
      .join(",")}}`;
  const test = {
    rule_files: [`${name}.rules.yaml`],
    evaluation_interval: "1m",
    tests: [
      {
        interval: "1m",
        input_series: inputSeries(definition, sli),
        alert_rule_test: firingAt(definition, sli, alertMinutes).map(({ minute, firing }) => ({
          eval_time: `${minute}m`,
          alertname: "PimLabErrorBudgetBurn",
          exp_alerts: firing.map((tier) => ({
            exp_labels: { ...labels, ...alertRuleLabels(definition, tier) },
            exp_annotations: alertAnnotations(definition, tier),
          })),
        })),
        promql_expr_test: valueMinutes.flatMap((minute) => [
          ...recordedWindows(definition).map((window) => ({
            expr: `${burnRateRecord(window)}{slo="${definition.name}"}`,
            eval_time: `${minute}m`,
            exp_samples: [{ labels: seriesName(burnRateRecord(window)), value: burnRateAt(ledger, minute, window) }],
          })),
          {
            expr: `${BUDGET_REMAINING_RECORD}{slo="${definition.name}"}`,
            eval_time: `${minute}m`,
            exp_samples: [
              {
                labels: seriesName(BUDGET_REMAINING_RECORD, { slo_window: promDuration(definition.windowMinutes) }),
                value: budgetRemainingAt(ledger, minute, definition.windowMinutes),
              },
            ],
          },
        ]),
      },
    ],
  };
  writeFileSync(join(dir, `${name}.test.yaml`), stringify(test, { lineWidth: 0, aliasDuplicateObjects: false }));
  return promtool(["test", "rules", `${name}.test.yaml`], dir);
}

const HOUR = 60;
const DAY = 24 * HOUR;

describe.skipIf(!promtoolAvailable())("the generated Prometheus rules under the real promtool", () => {
  it("passes promtool check rules, file by file, for every SLO in slo/", () => {
    const rulesDir = join(root, "deploy/observability/rules");
    const files = readdirSync(rulesDir).filter((f) => f.endsWith(".yaml"));
    expect(files.length).toBe(slos.length);
    const check = promtool(["check", "rules", ...files], rulesDir);
    expect(check.output).toContain("SUCCESS");
    expect(check.status, check.output).toBe(0);
  });

  it("fires the 14.4x page within 5 minutes of a full outage", () => {
    const definition = slo("clinician-record-diagnosis-availability");
    const sli = sliOfSegments([
      { minutes: 2 * HOUR, requestsPerMinute: 600, badPerMinute: 0 },
      { minutes: 10, requestsPerMinute: 600, badPerMinute: 600 },
    ]);
    const outageStart = 2 * HOUR;
    const [atFive] = firingAt(definition, sli, [outageStart + 5]);
    expect(atFive!.firing.map((t) => t.name)).toContain("page-fast");
    const [before] = firingAt(definition, sli, [outageStart]);
    expect(before!.firing).toEqual([]);
    const run = promtoolAgrees(definition, sli, [outageStart, outageStart + 1, outageStart + 3, outageStart + 5, outageStart + 10]);
    expect(run.status, run.output).toBe(0);
  });

  it("fires only the ticket tiers on a steady 2x burn, and the 1x ticket is the one", () => {
    const definition = slo("clinician-record-diagnosis-availability");
    // 2x of a 99.9 % objective: 2 bad requests in 1,000.
    const steady: TrafficSegment = { minutes: 3 * DAY + 7 * HOUR, requestsPerMinute: 1000, badPerMinute: 2 };
    const sli = sliOfSegments([steady]);
    const end = steady.minutes;
    const [last] = firingAt(definition, sli, [end]);
    expect(last!.firing.map((t) => t.name)).toEqual(["ticket-slow"]);
    const everFired = new Set(
      replayAlerts(budgetLedger(sli, definition.target), definition.tiers)
        .transitions.filter((t) => t.to === "firing")
        .map((t) => t.tier),
    );
    expect([...everFired]).toEqual(["ticket-slow"]);
    const run = promtoolAgrees(definition, sli, [HOUR, DAY, 3 * DAY, end]);
    expect(run.status, run.output).toBe(0);
  });

  it("fires nothing at a steady 0.5x burn", () => {
    const definition = slo("clinician-record-diagnosis-availability");
    const sli = sliOfSegments([{ minutes: 3 * DAY + 7 * HOUR, requestsPerMinute: 2000, badPerMinute: 1 }]);
    expect(replayAlerts(budgetLedger(sli, definition.target), definition.tiers).transitions).toEqual([]);
    const run = promtoolAgrees(definition, sli, [HOUR, DAY, 3 * DAY + 7 * HOUR]);
    expect(run.status, run.output).toBe(0);
  });

  it("fires no-data when the gateway stops counting a journey its users still report, as the engine does, and not when both sides go quiet", () => {
    const definition = slo("clinician-record-diagnosis-availability");
    expect(definition.noDataAgainst).toBe("client");
    // A start where the client's first outcomes land two minutes after the server's, both counting, then the
    // server side silent while the users go on, both again, then no traffic at all.
    const server = [...Array(10).fill(0), ...Array(30).fill(100), ...Array(15).fill(0), ...Array(20).fill(100), ...Array(20).fill(0)];
    const client = [...Array(12).fill(0), ...Array(28).fill(40), ...Array(15).fill(40), ...Array(20).fill(40), ...Array(20).fill(0)];
    const at = [11, 12, 13, 15, 40, 44, 45, 46, 47, 54, 55, 56, 60, 65, 80, 85, 90, 95];
    const firingAtMinute = (minute: number) => replayNoData(server.slice(0, minute), client.slice(0, minute), 0).alert.state === "firing";
    expect(at.filter(firingAtMinute)).toEqual([46, 47, 54, 55]); // silent from minute 40 to 54: pending at 45, firing from 46
    const rule = noDataRule(definition, "client");
    const labels = { slo: definition.name, severity: "page", journey: definition.journey, source: "server", against: "client" };
    const name = "no-data";
    writeFileSync(join(dir, `${name}.rules.yaml`), rulesFile([definition]));
    const series = (source: string, perMinute: number[]) => ({
      series: `pimlab_journey_requests_total{journey="${definition.journey}",source="${source}",outcome="success"}`,
      values: counterValues(perMinute),
    });
    const test = {
      rule_files: [`${name}.rules.yaml`],
      evaluation_interval: "1m",
      tests: [
        {
          interval: "1m",
          input_series: [series("server", server), series("client", client)],
          alert_rule_test: at.map((minute) => ({
            eval_time: `${minute}m`,
            alertname: NO_DATA_ALERT,
            exp_alerts: firingAtMinute(minute) ? [{ exp_labels: labels, exp_annotations: rule.annotations }] : [],
          })),
        },
      ],
    };
    writeFileSync(join(dir, `${name}.test.yaml`), stringify(test, { lineWidth: 0, aliasDuplicateObjects: false }));
    const run = promtool(["test", "rules", `${name}.test.yaml`], dir);
    expect(run.status, run.output).toBe(0);
  });

  it("records the engine's burn rates and error budget for the same uneven traffic (availability and latency SLOs)", () => {
    // Uneven traffic: quiet nights, bursts of failures of varying size, a partial outage.
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const segments: TrafficSegment[] = [];
    for (let hour = 0; hour < 30; hour++) {
      const requests = hour % 24 < 6 ? 50 : 400 + Math.floor(random() * 400);
      segments.push({ minutes: 45, requestsPerMinute: requests, badPerMinute: Math.floor(random() * 3) });
      segments.push({ minutes: 15, requestsPerMinute: requests, badPerMinute: hour % 7 === 3 ? Math.floor(requests / 4) : Math.floor(random() * 20) });
    }
    const sli = sliOfSegments(segments);
    const at = [37, 6 * HOUR + 13, DAY + 2, 30 * HOUR - 1];
    for (const name of ["clinician-record-diagnosis-availability", "billing-adjudicate-latency"]) {
      const run = promtoolAgrees(slo(name), sli, [], at);
      expect(run.status, `${name}: ${run.output}`).toBe(0);
    }
  });
});
