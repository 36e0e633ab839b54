// The clock of an open model: calls back for each arrival of a profile when it comes due, whatever the
// earlier arrivals are doing. A tick every millisecond fires every arrival due since the last one with its
// own due time, so a late tick shows up as lateness measured from that time, never as a skipped arrival.
import { type ArrivalProfile, arrivals } from "./arrival-processes.ts";

export interface ArrivalSchedule {
  profile: ArrivalProfile;
  spacing: "even" | "poisson";
  seed?: number;
}

export interface ArrivalClockOptions {
  schedule: ArrivalSchedule;
  durationMs: number;
  /** Checked every tick: true ends the schedule early (a stopped simulation). */
  stopped?: () => boolean;
}

export interface ArrivalClockResult {
  /** Arrivals that came due (each was handed to `onArrival`). */
  due: number;
  /** performance.now() when the schedule began and when it ended. */
  startedAt: number;
  endedAt: number;
}

export async function runArrivalClock(options: ArrivalClockOptions, onArrival: (index: number, dueAt: number) => void): Promise<ArrivalClockResult> {
  const { schedule, durationMs } = options;
  const times = arrivals(schedule.profile, durationMs / 1000, { spacing: schedule.spacing, seed: schedule.seed });
  const startedAt = performance.now();
  let due = 0;
  let next = times.next();
  while (!next.done && !options.stopped?.()) {
    const now = performance.now() - startedAt;
    while (!next.done && next.value * 1000 <= now) {
      onArrival(due++, startedAt + next.value * 1000);
      next = times.next();
    }
    if (now >= durationMs) break;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  // The schedule's end, not the last arrival's: a run's rate is counted over its whole duration.
  while (!options.stopped?.() && performance.now() - startedAt < durationMs)
    await new Promise((resolve) => setTimeout(resolve, Math.min(50, durationMs - (performance.now() - startedAt))));
  return { due, startedAt, endedAt: performance.now() };
}
