// When a crashed lab process is started again: exponential backoff with jitter up to a cap, starting over
// once a process has stayed up a while; too many crashes within a window and it is marked failed (an SRE
// restarts it through the supervisor's API). Pure functions over timestamps (ms).

export interface RestartPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  /** Each delay is spread by up to this share either way, so processes that crashed together do not restart in step. */
  jitterRatio: number;
  /** A process that ran this long before crashing had recovered: its backoff starts over. */
  stableAfterMs: number;
  /** This many crashes within crashWindowMs and the process is failed, not restarted. */
  failAfterCrashes: number;
  crashWindowMs: number;
}

export const LAB_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 250,
  maxDelayMs: 15_000,
  jitterRatio: 0.2,
  stableAfterMs: 30_000,
  failAfterCrashes: 5,
  crashWindowMs: 60_000,
};

export interface CrashRecord {
  /** Crashes since the process last stayed up stableAfterMs; sets the backoff. */
  consecutive: number;
  /** When the process crashed within the last window. */
  recentAt: readonly number[];
}

export const NO_CRASHES: CrashRecord = { consecutive: 0, recentAt: [] };

export type RestartDecision = { restart: true; delayMs: number; record: CrashRecord } | { restart: false; reason: string; record: CrashRecord };

/** The backoff before restart number `consecutive` (1-based), before jitter. */
export function backoffMs(policy: RestartPolicy, consecutive: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, consecutive - 1));
}

/** What to do about a crash of a process that was started at `startedAt`; `random` in [0, 1) spreads the delay. */
export function decideRestart(
  policy: RestartPolicy,
  record: CrashRecord,
  crash: { startedAt: number; crashedAt: number },
  random: () => number = Math.random,
): RestartDecision {
  const recovered = crash.crashedAt - crash.startedAt >= policy.stableAfterMs;
  const consecutive = recovered ? 1 : record.consecutive + 1;
  // A recovered process starts with a clean slate: crashes before its good run do not count toward failing it.
  const earlier = recovered ? [] : record.recentAt.filter((t) => crash.crashedAt - t < policy.crashWindowMs);
  const recentAt = [...earlier, crash.crashedAt];
  const next: CrashRecord = { consecutive, recentAt };
  if (recentAt.length >= policy.failAfterCrashes) {
    return { restart: false, reason: `crashed ${recentAt.length} times within ${Math.round(policy.crashWindowMs / 1000)} s`, record: next };
  }
  const spread = 1 - policy.jitterRatio + 2 * policy.jitterRatio * random();
  const delayMs = Math.min(policy.maxDelayMs, Math.round(backoffMs(policy, consecutive) * spread));
  return { restart: true, delayMs, record: next };
}
