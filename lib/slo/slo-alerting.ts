// Notifications of the SLOs' alerts (burn-rate tiers and no-data): each evaluation of the SLOs is compared
// with the previous one, and an alert that starts firing, or stops, is posted to every webhook in
// Alertmanager's webhook format (version 4), so anything that takes Alertmanager's webhooks takes the
// lab's. Failed posts are retried.
import { promDuration } from "./burn-rate-tiers.ts";
import { NO_DATA, NO_DATA_ALERT, NO_DATA_WINDOW_MINUTES } from "./no-data.ts";
import { BURN_ALERT } from "./prometheus-rules.ts";
import type { SloReportSource } from "./slo-sources.ts";
import type { SloReport } from "./slo-status.ts";

export interface AlertNotification {
  status: "firing" | "resolved";
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
}

type ReportedSlo = SloReport["slos"][number];

/** Every alert of an SLO as a webhook names it: its state, labels and words. */
function alertsOf(slo: ReportedSlo): { key: string; state: string; labels: Record<string, string>; annotations: Record<string, string> }[] {
  const tiers = slo.tiers.map((tier) => ({
    key: `${slo.name} ${tier.tier}`,
    state: tier.state,
    labels: {
      alertname: BURN_ALERT,
      slo: slo.name,
      journey: slo.journey,
      service: slo.service,
      severity: tier.severity,
      burnrate_tier: tier.tier,
      factor: String(tier.factor),
    },
    annotations: {
      summary: `${slo.displayName}: error budget burning over ${tier.factor}x (${tier.tier})`,
      description: `Burn rate ${tier.longBurnRate.toFixed(1)}x over the long window, ${tier.shortBurnRate.toFixed(1)}x over the short; ${(slo.budgetRemaining * 100).toFixed(1)} % of the ${promDuration(slo.windowMinutes)} budget left.`,
    },
  }));
  const silence = slo.noData;
  if (!silence) return tiers;
  const window = promDuration(NO_DATA_WINDOW_MINUTES);
  return [
    ...tiers,
    {
      key: `${slo.name} ${NO_DATA}`,
      state: silence.state,
      labels: {
        alertname: NO_DATA_ALERT,
        slo: slo.name,
        journey: slo.journey,
        service: slo.service,
        severity: silence.severity,
        source: slo.source,
        against: silence.against,
      },
      annotations: {
        summary: `${slo.displayName}: no ${slo.source}-side requests counted for ${window} while the ${silence.against} side counted the journey`,
        description: `${silence.requests} ${slo.source}-side requests against ${silence.againstRequests} on the ${silence.against} side over the last ${window}: the SLO is blind, its burn-rate alerts cannot fire.`,
      },
    },
  ];
}

/** The alerts whose state changed between two reports (a first report notifies what is firing). */
export function alertChanges(previous: SloReport | null, current: SloReport, firingSince: Map<string, string>): AlertNotification[] {
  const before = new Map<string, string>(previous?.slos.flatMap((s) => alertsOf(s).map((a) => [a.key, a.state] as const)) ?? []);
  const out: AlertNotification[] = [];
  for (const slo of current.slos) {
    for (const { key, state, labels, annotations } of alertsOf(slo)) {
      const was = before.get(key) === "firing";
      const is = state === "firing";
      if (was === is) continue;
      if (is) firingSince.set(key, current.evaluatedAt);
      out.push({
        status: is ? "firing" : "resolved",
        labels,
        annotations,
        startsAt: firingSince.get(key) ?? current.evaluatedAt,
        endsAt: is ? "0001-01-01T00:00:00Z" : current.evaluatedAt,
      });
      if (!is) firingSince.delete(key);
    }
  }
  return out;
}

async function post(url: string, alerts: AlertNotification[], attempts: number): Promise<void> {
  const body = JSON.stringify({
    version: "4",
    receiver: "pim-sre-lab",
    status: alerts.some((a) => a.status === "firing") ? "firing" : "resolved",
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: "",
    alerts,
  });
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body, signal: AbortSignal.timeout(5000) });
      if (res.ok) return;
      throw new Error(`${url} answered ${res.status}`);
    } catch (err) {
      if (attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
    }
  }
}

export interface SloAlerting {
  /** One evaluation and its notifications (the loop runs this on its timer). */
  evaluate(now?: Date): Promise<AlertNotification[]>;
  stop(): void;
}

export function startSloAlerting(options: {
  source: SloReportSource;
  webhooks: readonly string[];
  everyMs?: number;
  attempts?: number;
  onError?: (err: unknown) => void;
}): SloAlerting {
  let previous: SloReport | null = null;
  const firingSince = new Map<string, string>();
  const evaluate = async (now = new Date()) => {
    const report = await options.source.report(now);
    const since = new Map(firingSince);
    const changes = alertChanges(previous, report, since);
    if (changes.length > 0) await Promise.all(options.webhooks.map((url) => post(url, changes, options.attempts ?? 3)));
    // Only once told: a webhook that stays down gets the same changes again at the next evaluation.
    previous = report;
    firingSince.clear();
    for (const [k, v] of since) firingSince.set(k, v);
    return changes;
  };
  const timer = options.everyMs ? setInterval(() => evaluate().catch((err) => options.onError?.(err)), options.everyMs) : null;
  timer?.unref();
  return { evaluate, stop: () => timer && clearInterval(timer) };
}
