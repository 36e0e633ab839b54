// Arrival processes for the persona traffic simulator's open model: when each journey starts, decided by
// the clock and a seeded random stream, never by earlier answers. Each process is a rate over time
// (constant, diurnal, burst, ramp) and a way to place arrivals on it (evenly spaced, or Poisson: the
// inhomogeneous kind, by inverting the cumulative rate, so bursts and curves keep their exact mean).
import { z } from "zod";

const Rate = z.number().min(0).max(1_000_000);
const Seconds = z
  .number()
  .positive()
  .max(7 * 86_400);

export const ArrivalProfile = z.discriminatedUnion("shape", [
  z.strictObject({ shape: z.literal("constant"), ratePerSecond: Rate }),
  /** A day compressed into `periodSeconds`: trough at the start, peak half way. */
  z.strictObject({ shape: z.literal("diurnal"), baseRatePerSecond: Rate, peakRatePerSecond: Rate, periodSeconds: Seconds }),
  /** `burstRatePerSecond` for `burstSeconds` at the start of every `everySeconds`, `baseRatePerSecond` otherwise. */
  z
    .strictObject({ shape: z.literal("burst"), baseRatePerSecond: Rate, burstRatePerSecond: Rate, burstSeconds: Seconds, everySeconds: Seconds })
    .refine((b) => b.burstSeconds <= b.everySeconds, { message: "burstSeconds must not exceed everySeconds", path: ["burstSeconds"] }),
  /** From `fromRatePerSecond` to `toRatePerSecond` linearly over `overSeconds`, then steady. */
  z.strictObject({ shape: z.literal("ramp"), fromRatePerSecond: Rate, toRatePerSecond: Rate, overSeconds: Seconds }),
]);
export type ArrivalProfile = z.infer<typeof ArrivalProfile>;

/** The offered rate (per second) at `t` seconds into the run. */
export function rateAt(profile: ArrivalProfile, t: number): number {
  switch (profile.shape) {
    case "constant":
      return profile.ratePerSecond;
    case "diurnal": {
      const phase = (t % profile.periodSeconds) / profile.periodSeconds;
      return profile.baseRatePerSecond + ((profile.peakRatePerSecond - profile.baseRatePerSecond) * (1 - Math.cos(2 * Math.PI * phase))) / 2;
    }
    case "burst":
      return t % profile.everySeconds < profile.burstSeconds ? profile.burstRatePerSecond : profile.baseRatePerSecond;
    case "ramp":
      return t >= profile.overSeconds
        ? profile.toRatePerSecond
        : profile.fromRatePerSecond + ((profile.toRatePerSecond - profile.fromRatePerSecond) * t) / profile.overSeconds;
  }
}

/** Expected arrivals in [0, t): the rate integrated, in closed form for each shape. */
export function expectedArrivals(profile: ArrivalProfile, t: number): number {
  switch (profile.shape) {
    case "constant":
      return profile.ratePerSecond * t;
    case "diurnal": {
      const { baseRatePerSecond: b, peakRatePerSecond: p, periodSeconds: P } = profile;
      const mean = (b + p) / 2;
      return mean * t - ((p - b) / 2) * (P / (2 * Math.PI)) * Math.sin((2 * Math.PI * t) / P);
    }
    case "burst": {
      const { baseRatePerSecond: b, burstRatePerSecond: r, burstSeconds: d, everySeconds: e } = profile;
      const cycles = Math.floor(t / e);
      const rest = t - cycles * e;
      return cycles * (r * d + b * (e - d)) + r * Math.min(rest, d) + b * Math.max(0, rest - d);
    }
    case "ramp": {
      const { fromRatePerSecond: a, toRatePerSecond: z2, overSeconds: o } = profile;
      const inRamp = Math.min(t, o);
      return a * inRamp + ((z2 - a) * inRamp * inRamp) / (2 * o) + z2 * Math.max(0, t - o);
    }
  }
}

/** A small, fast, seeded random stream (mulberry32): the same seed gives the same arrivals. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Time (s) at which the cumulative expected arrivals reach `target`, by bisection (the integral only grows). */
function timeForArrivals(profile: ArrivalProfile, target: number, from: number, horizon: number): number {
  let lo = from;
  let hi = from + 1;
  while (expectedArrivals(profile, hi) < target) {
    hi = from + (hi - from) * 2;
    if (hi > horizon) return Number.POSITIVE_INFINITY;
  }
  for (let i = 0; i < 60 && hi - lo > 1e-7; i++) {
    const mid = (lo + hi) / 2;
    if (expectedArrivals(profile, mid) < target) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * The arrival times (seconds from the start) within `durationSeconds`: `spacing: "even"` puts the n-th
 * arrival (from 0) where the cumulative rate reaches n (a deterministic schedule at exactly the offered rate),
 * `"poisson"` draws exponential gaps in the cumulative-rate domain (an inhomogeneous Poisson process).
 */
export function* arrivals(profile: ArrivalProfile, durationSeconds: number, options: { spacing: "even" | "poisson"; seed?: number }): Generator<number> {
  const random = seededRandom(options.seed ?? 1);
  // Even: the n-th arrival (from 0) where the cumulative rate reaches n, so the first leaves at once.
  let cumulative = options.spacing === "even" ? -1 : 0;
  let t = 0;
  for (;;) {
    cumulative += options.spacing === "even" ? 1 : -Math.log(1 - random());
    t = cumulative <= 0 ? 0 : timeForArrivals(profile, cumulative, t, durationSeconds * 2 + 1);
    if (!(t < durationSeconds)) return;
    yield t;
  }
}
