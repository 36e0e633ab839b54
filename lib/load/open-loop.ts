// An open-model load driver: requests leave on the clock (a fixed rate, or an arrival process of
// lib/load/arrival-processes.ts), whether or not earlier ones have answered, and each latency is measured
// from the moment the request was due, so a stalled server shows up as latency instead of as fewer
// requests (no coordinated omission). autocannon's rate option instead sends
// each connection's quota for the second as a burst, which measures bursts rather than a rate.
import * as hdr from "hdr-histogram-js";
import { Pool } from "undici";
import type { ArrivalProfile } from "./arrival-processes.ts";
import { runArrivalClock } from "./arrival-clock.ts";

export interface LoadRequest {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface OpenLoopOptions {
  origin: string;
  /** A fixed rate, evenly spaced; or give `arrivals` (a profile and its spacing) instead. */
  ratePerSecond?: number;
  arrivals?: { profile: ArrivalProfile; spacing: "even" | "poisson"; seed?: number };
  durationMs: number;
  next: (index: number) => LoadRequest;
  /** Requests still unanswered beyond this are not sent (counted as dropped): the driver must not melt. */
  maxInFlight?: number;
  connections?: number;
}

export interface OpenLoopResult {
  due: number;
  sent: number;
  dropped: number;
  errors: number;
  statuses: Record<string, number>;
  achievedPerSecond: number;
  /** Milliseconds from when each request was due to its full answer. */
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** How late the driver itself sent requests (its own lag, included in the latencies above). */
  sendLagP99Ms: number;
}

export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const pool = new Pool(options.origin, { connections: options.connections ?? 128 });
  const latency = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });
  const lag = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });
  const schedule = options.arrivals ?? { profile: { shape: "constant" as const, ratePerSecond: options.ratePerSecond ?? 0 }, spacing: "even" as const };
  const maxInFlight = options.maxInFlight ?? 10_000;
  const statuses: Record<string, number> = {};
  let [due, sent, dropped, errors, inFlight] = [0, 0, 0, 0, 0];
  const pending = new Set<Promise<void>>();
  const micros = (ms: number) => Math.max(1, Math.round(ms * 1000));

  const fire = (index: number, dueAt: number) => {
    due++;
    if (inFlight >= maxInFlight) {
      dropped++;
      return;
    }
    const request = options.next(index);
    inFlight++;
    sent++;
    lag.recordValue(micros(performance.now() - dueAt));
    const done = pool
      .request({ method: request.method, path: request.path, headers: request.headers, body: request.body })
      .then(async (res) => {
        await res.body.dump();
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
      })
      .catch(() => {
        errors++;
      })
      .finally(() => {
        latency.recordValue(micros(performance.now() - dueAt));
        inFlight--;
        pending.delete(done);
      });
    pending.add(done);
  };

  await runArrivalClock({ schedule, durationMs: options.durationMs }, fire);
  await Promise.all(pending);
  await pool.close();
  const ms = (h: hdr.Histogram, p: number) => Math.round(h.getValueAtPercentile(p) / 100) / 10;
  const result: OpenLoopResult = {
    due,
    sent,
    dropped,
    errors,
    statuses,
    achievedPerSecond: Math.round(sent / (options.durationMs / 1000)),
    latencyMs: { p50: ms(latency, 50), p90: ms(latency, 90), p99: ms(latency, 99), max: Math.round(latency.maxValue / 100) / 10 },
    sendLagP99Ms: ms(lag, 99),
  };
  latency.destroy();
  lag.destroy();
  return result;
}
