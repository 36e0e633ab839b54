// Multi-window, multi-burn-rate alerting tiers (the SRE workbook's scheme). Each tier says: this share of
// the error budget was spent within the long window, and is still being spent (the short window, 1/12 of
// the long one). For a 30-day SLO that is 14.4x over 1h and 5m, 6x over 6h and 30m, 3x over 1d and 2h and
// 1x over 3d and 6h; for another SLO window the windows stay and the factors scale with it, so each tier
// keeps meaning "2 % (5 %, 10 %, 10 %) of the budget gone in the long window".

export const TIER_NAMES = ["page-fast", "page-slow", "ticket-fast", "ticket-slow"] as const;
export type TierName = (typeof TIER_NAMES)[number];

/** Every alert an SLO can have: its burn-rate tiers and, for a journey counted on both sides, no-data (lib/slo/no-data.ts). */
export const ALERT_NAMES = [...TIER_NAMES, "no-data"] as const;
export type AlertName = (typeof ALERT_NAMES)[number];

export interface BurnRateTier {
  name: TierName;
  severity: "page" | "ticket";
  longMinutes: number;
  shortMinutes: number;
  /** Burn rate both windows must exceed. */
  factor: number;
  /** How long the condition must hold before the alert fires (pending until then). */
  forMinutes: number;
  budgetPercent: number;
}

const BASE: readonly Omit<BurnRateTier, "factor" | "shortMinutes" | "forMinutes">[] = [
  { name: "page-fast", severity: "page", longMinutes: 60, budgetPercent: 2 },
  { name: "page-slow", severity: "page", longMinutes: 360, budgetPercent: 5 },
  { name: "ticket-fast", severity: "ticket", longMinutes: 1440, budgetPercent: 10 },
  { name: "ticket-slow", severity: "ticket", longMinutes: 4320, budgetPercent: 10 },
];

/** The tiers of an SLO with this window, less the disabled ones. */
export function tiersFor(windowMinutes: number, disabled: readonly TierName[] = []): BurnRateTier[] {
  return BASE.filter((t) => !disabled.includes(t.name)).map((t) => ({
    ...t,
    // Integer arithmetic first: 2 * 43200 / 6000 is exactly the double nearest 14.4.
    factor: (t.budgetPercent * windowMinutes) / (100 * t.longMinutes),
    shortMinutes: t.longMinutes / 12,
    // A thirtieth of the long window: 2 minutes for the fast page, so a full outage pages within 5.
    forMinutes: t.longMinutes / 30,
  }));
}

/** A Prometheus duration for whole minutes: 5m, 1h, 1d, 30d. */
export function promDuration(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}

/** Parses an OpenSLO/Prometheus duration of m, h, d or w into minutes. */
export function durationMinutes(duration: string): number {
  const m = /^([1-9][0-9]*)([mhdw])$/.exec(duration);
  if (!m) throw new Error(`not a duration: ${duration}`);
  return Number(m[1]) * { m: 1, h: 60, d: 1440, w: 10080 }[m[2] as "m" | "h" | "d" | "w"];
}
