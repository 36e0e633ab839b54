// Running Debian's promtool on generated rules, and turning a minute-by-minute SLI into the input series
// of a promtool rule test (counters scraped once a minute from t=0), so a test can hand the same traffic to
// the engine and to Prometheus.
import { spawnSync } from "node:child_process";
import type { SliMinutes } from "../../lib/slo/burn-rate.ts";
import { JOURNEY_DURATION_METRIC, JOURNEY_REQUESTS_METRIC } from "../../lib/slo/prometheus-rules.ts";
import type { SloDefinition } from "../../lib/slo/load-slos.ts";

export const PROMTOOL = process.env.PROMTOOL ?? "promtool";

/** Whether promtool runs here; npm test installs it (Debian's prometheus package) and says when it cannot. */
export function promtoolAvailable(): boolean {
  if (process.env.LAB_TEST_PROMTOOL === "unavailable") return false;
  const probe = spawnSync(PROMTOOL, ["--version"], { encoding: "utf8" });
  if (probe.status !== 0)
    throw new Error(`${PROMTOOL} does not run (${probe.error?.message ?? probe.stderr}); install Debian's prometheus package or run npm test, which does`);
  return true;
}

export function promtool(args: string[], cwd: string): { status: number; output: string } {
  const run = spawnSync(PROMTOOL, args, { cwd, encoding: "utf8", timeout: 120_000 });
  return { status: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
}

/** A stretch of steady traffic: so many requests a minute, so many of them bad. */
export interface TrafficSegment {
  minutes: number;
  requestsPerMinute: number;
  badPerMinute: number;
}

export function sliOfSegments(segments: readonly TrafficSegment[]): SliMinutes {
  const total: number[] = [];
  const bad: number[] = [];
  for (const s of segments) {
    for (let i = 0; i < s.minutes; i++) {
      total.push(s.requestsPerMinute);
      bad.push(s.badPerMinute);
    }
  }
  return { startMinute: 0, total, bad };
}

/** promtool's expanding notation for a counter that grows by `perMinute[i]` in minute i, sampled from t=0. */
export function counterValues(perMinute: ArrayLike<number>): string {
  const parts = ["0"];
  let value = 0;
  for (let i = 0; i < perMinute.length;) {
    const step = perMinute[i]!;
    let j = i;
    while (j < perMinute.length && perMinute[j] === step) j++;
    const run = j - i;
    parts.push(run === 1 ? `${value + step}` : `${value + step}+${step}x${run - 1}`);
    value += step * run;
    i = j;
  }
  return parts.join(" ");
}

/** The counters the gateway exports for this SLO's journey, carrying the given traffic. */
export function inputSeries(slo: SloDefinition, sli: SliMinutes): { series: string; values: string }[] {
  const labels = `journey="${slo.journey}",source="${slo.source}"`;
  const good = Array.from(sli.total, (t, i) => t - sli.bad[i]!);
  if (slo.sli.kind === "availability") {
    return [
      { series: `${JOURNEY_REQUESTS_METRIC}{${labels},outcome="success"}`, values: counterValues(good) },
      { series: `${JOURNEY_REQUESTS_METRIC}{${labels},outcome="error"}`, values: counterValues(sli.bad) },
    ];
  }
  return [
    { series: `${JOURNEY_DURATION_METRIC}_bucket{${labels},le="${slo.sli.thresholdMs / 1000}"}`, values: counterValues(good) },
    { series: `${JOURNEY_DURATION_METRIC}_count{${labels}}`, values: counterValues(sli.total) },
  ];
}
