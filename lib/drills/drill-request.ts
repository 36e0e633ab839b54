// What a launcher asks for (a drill, its params, how long, when to abort, how to roll back, when to run)
// and the guardrails every request is held to before anything touches the lab: the longest a drill may
// last, which services, shards and personas it may reach, how many drills run at once.
import { Cron } from "croner";
import { z } from "zod";
import { TIER_NAMES } from "../slo/burn-rate-tiers.ts";

export const AbortCondition = z.union([
  z.strictObject({
    slo: z.string().min(1).max(120),
    /** Abort when this burn-rate tier's short window burns faster than this factor (14.4: the page's). */
    burnRateAbove: z.number().positive().max(10_000),
    tier: z.enum(TIER_NAMES).default("page-fast"),
  }),
  z.strictObject({
    slo: z.string().min(1).max(120),
    /** Abort when the SLO's error budget left (0-1 of the window's) falls below this floor. */
    budgetBelow: z.number().min(-10).max(1),
  }),
  z.strictObject({
    slo: z.string().min(1).max(120),
    /** Abort once this tier's alert fires: the drill has shown what it was for, someone has been paged. */
    alertFiring: z.enum(TIER_NAMES),
  }),
]);
export type AbortCondition = z.infer<typeof AbortCondition>;

export const DrillSchedule = z.union([
  z.strictObject({ at: z.iso.datetime({ offset: true }) }),
  z.strictObject({
    cron: z
      .string()
      .max(100)
      .refine((c) => validCron(c), "must be a 5-field cron expression (minute hour day-of-month month day-of-week)"),
    /** How many times a cron schedule fires before it is done. */
    times: z.number().int().min(1).max(1000).default(1),
  }),
]);
export type DrillSchedule = z.infer<typeof DrillSchedule>;

export const DrillLaunch = z.strictObject({
  drill: z.string().regex(/^[a-z0-9-]{1,60}$/, "must be a drill key from the catalog"),
  params: z.record(z.string(), z.unknown()).default({}),
  durationSeconds: z.number().int().min(5).max(86_400),
  abortWhen: z.array(AbortCondition).max(20).default([]),
  rollback: z.enum(["always", "on-deviation"]).optional(),
  schedule: DrillSchedule.optional(),
});
export type DrillLaunch = z.infer<typeof DrillLaunch>;

export interface DrillGuardrails {
  /** No run lasts longer, whatever its drill allows. */
  maxDurationSeconds: number;
  maxConcurrent: number;
  services: readonly string[];
  /** Shards a drill may reach ("all": any of the lab's). */
  shards: readonly number[] | "all";
  personas: readonly string[] | "all";
}

export const DEFAULT_GUARDRAILS: DrillGuardrails = {
  maxDurationSeconds: 3600,
  maxConcurrent: 2,
  services: ["clinical", "billing", "gateway", "projector"],
  shards: "all",
  personas: "all",
};

function validCron(expression: string): boolean {
  if (expression.trim().split(/\s+/).length !== 5) return false;
  try {
    new Cron(expression, { paused: true });
    return true;
  } catch {
    return false;
  }
}

/** The next `count` times a schedule fires after `from` (a one-off schedule fires once). */
export function scheduleTimes(schedule: DrillSchedule, from: Date, count: number): Date[] {
  if ("at" in schedule) return [new Date(schedule.at)];
  const cron = new Cron(schedule.cron, { paused: true, timezone: "UTC" });
  const times: Date[] = [];
  let after = from;
  while (times.length < Math.min(count, schedule.times)) {
    const next = cron.nextRun(after);
    if (!next) break;
    times.push(next);
    after = next;
  }
  return times;
}
