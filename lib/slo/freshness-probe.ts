// The read models' freshness as an SLI, the way a blackbox prober measures it: every `everyMs` the gateway
// asks the projector how fresh they are and counts the answer towards a probed journey, good when it came
// within the timeout and said fresh. No answer (the projector down, hung or too slow) counts as stale: a
// prober that cannot see the pipeline cannot say the dashboards are fresh. Counting starts at the first
// fresh answer, so the lab's start (the seeded snapshots going through) is its warm-up, as for traffic.
export interface FreshnessReading {
  fresh: boolean;
  stalenessMs: number;
}

export interface FreshnessProbeOptions {
  read: (signal: AbortSignal) => Promise<FreshnessReading>;
  /** One probe's outcome: `stalenessMs` is more than `thresholdMs` for every stale one, answered or not. */
  record: (atMs: number, ok: boolean, stalenessMs: number) => void;
  thresholdMs: number;
  everyMs?: number;
  timeoutMs?: number;
  now?: () => number;
  /** Told once, when the first fresh answer starts the count. */
  onCounting?: () => void;
  onError?: (err: unknown) => void;
}

export interface FreshnessProbe {
  /** One probe now (the timer's work; tests call it). */
  probe(): Promise<void>;
  stop(): void;
}

export function startFreshnessProbe(options: FreshnessProbeOptions): FreshnessProbe {
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 2_000;
  let counting = false;
  let inFlight: Promise<void> | null = null;
  const once = async () => {
    const at = now();
    let reading: FreshnessReading | null = null;
    try {
      reading = await options.read(AbortSignal.timeout(timeoutMs));
    } catch (err) {
      options.onError?.(err);
    }
    if (!counting) {
      if (!reading?.fresh) return;
      counting = true;
      options.onCounting?.();
    }
    if (reading) options.record(at, true, reading.fresh ? reading.stalenessMs : Math.max(reading.stalenessMs, options.thresholdMs + 1));
    else options.record(at, false, options.thresholdMs + 1);
  };
  // One probe at a time: a slow answer is the next probe's miss, not a pile of waiting ones.
  const probe = () => (inFlight ??= once().finally(() => (inFlight = null)));
  const timer = setInterval(() => void probe(), options.everyMs ?? 10_000);
  timer.unref();
  return { probe, stop: () => clearInterval(timer) };
}
