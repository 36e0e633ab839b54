// What the SLO detail page draws, shaped from the gateway's history answer: one row per minute with the
// budget left (in %) and the chosen tier's burn rates for this SLO and its other side (client vs server),
// and the drills and scenarios as spans over the minutes they acted.
import type { SloDetail } from "../contracts/routes/gateway-routes.ts";
import type { AlertTransition } from "../slo/burn-rate.ts";
import type { TierName } from "../slo/burn-rate-tiers.ts";
import { NO_DATA, noDataReason } from "../slo/no-data.ts";

export type { SloDetail };

export interface ChartRow {
  t: number;
  budget: number;
  otherBudget: number | null;
  long: number | null;
  short: number | null;
  otherShort: number | null;
  requests: number;
}

const pct = (v: number) => Math.round(v * 10_000) / 100;
const two = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 100) / 100);

export function chartRows(detail: SloDetail, tier: string): ChartRow[] {
  const t = tier as TierName; // a tier the page chose from the SLO's own; any other charts no burn
  const other = new Map(detail.counterpart?.history.points.map((p) => [p.at, p]) ?? []);
  return detail.history.points.map((p) => {
    const o = other.get(p.at);
    return {
      t: Date.parse(p.at),
      budget: pct(p.budgetRemaining),
      otherBudget: o ? pct(o.budgetRemaining) : null,
      long: two(p.burn[t]?.long),
      short: two(p.burn[t]?.short),
      otherShort: two(o?.burn[t]?.short),
      requests: p.requests,
    };
  });
}

const ENDED = new Set(["completed", "aborted", "failed", "cancelled", "interrupted"]);

/**
 * Drill and scenario spans clipped to the charted minutes: from a start (the annotation that carries the
 * planned end) to the run's actual end when it ended early (aborted, failed), else to the planned end.
 */
export function annotationSpans(detail: SloDetail): { from: number; to: number; kind: string; title: string }[] {
  const points = detail.history.points;
  if (points.length === 0) return [];
  const first = Date.parse(points[0]!.at);
  const last = Date.parse(points.at(-1)!.at);
  return detail.annotations
    .filter((a) => a.endAt !== null)
    .map((a) => {
      const ended = a.drillRunId
        ? detail.annotations.find((e) => e.drillRunId === a.drillRunId && e.status !== null && ENDED.has(e.status) && e.at >= a.at)
        : undefined;
      const end = Math.min(Date.parse(a.endAt!), ended ? Date.parse(ended.at) : Number.POSITIVE_INFINITY);
      return { from: Math.max(first, Date.parse(a.at)), to: Math.min(last, end), kind: a.kind, title: a.title };
    })
    .filter((s) => s.to >= s.from);
}

/** A budget axis tick: a negative budget keeps its sign (a true minus, so it is not lost as a hyphen). */
export function budgetTick(percent: number): string {
  return `${percent < 0 ? "\u2212" : ""}${Math.abs(percent).toLocaleString("en-US")} %`;
}

/** How wide the budget axis must be for its longest tick (px at the charts' 12 px font). */
export function budgetAxisWidth(rows: readonly { budget?: number | null; otherBudget?: number | null }[]): number {
  const low = Math.min(0, ...rows.flatMap((r) => [r.budget ?? 0, r.otherBudget ?? 0]));
  // recharts rounds the domain out to a nice tick, at most about twice the lowest value.
  return Math.max(60, 16 + 7.5 * budgetTick(Math.floor(low * 2)).length);
}

/** The label a shaded span carries on the charts. */
export const spanLabel = (kind: string) => kind.replace("-", " ");

/** Where a span's label goes: inside its right edge when the span is in the chart's right half, so a span at
 * the end of the charted minutes (a lab that has just started) keeps its label inside the chart. */
export function spanLabelPosition(span: { from: number; to: number }, rows: readonly { t: number }[]): "insideTopLeft" | "insideTopRight" {
  if (rows.length === 0) return "insideTopLeft";
  const middle = (rows[0]!.t + rows.at(-1)!.t) / 2;
  return span.from > middle ? "insideTopRight" : "insideTopLeft";
}

/** The alert history, newest first, as the page lists it. */
export function alertHistory(detail: SloDetail): { at: string; text: string }[] {
  return [...detail.transitions]
    .sort((a, b) => b.minute - a.minute)
    .map((t) => ({ at: new Date(t.minute * 60_000).toISOString(), text: `${t.tier} (${t.severity}) ${t.from} → ${t.to}: ${transitionReason(t)}` }));
}

/** Why an alert changed, in words: a tier's burn rates, or for no-data the silence it judges. */
export function transitionReason(t: Pick<AlertTransition, "tier" | "to" | "longBurnRate" | "shortBurnRate">): string {
  if (t.tier === NO_DATA) return noDataReason(t.to);
  const round1 = (v: number | null) => (v === null ? "–" : Math.round(v * 10) / 10); // NaN travels as null
  return `burn ${round1(t.longBurnRate)}x long, ${round1(t.shortBurnRate)}x short`;
}
