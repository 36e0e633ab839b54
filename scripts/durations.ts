// Durations given on the command line: 90d, 24h, 30m, 45s.
import { LabError } from "../lib/errors/index.ts";

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 } as const;

/** Milliseconds of a duration such as 90d, 24h, 30m or 45s; anything else is a 400 naming the option. */
export function parseDuration(text: string, option: string): number {
  const m = /^(\d{1,5})(d|h|m|s)$/.exec(text);
  if (!m) throw new LabError("invalid", `--${option} must look like 90d, 24h, 30m or 45s (got ${JSON.stringify(text)})`, { field: option });
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}
