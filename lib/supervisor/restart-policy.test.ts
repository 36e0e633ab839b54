import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CrashRecord, LAB_RESTART_POLICY, NO_CRASHES, type RestartPolicy, backoffMs, decideRestart } from "./restart-policy.ts";

const policy: RestartPolicy = { initialDelayMs: 100, maxDelayMs: 2_000, jitterRatio: 0.2, stableAfterMs: 10_000, failAfterCrashes: 4, crashWindowMs: 30_000 };
const noJitter = () => 0.5;

/** Crashes at the given times, each process having started `upMs` before it crashed. */
function crashes(times: number[], upMs: number, random = noJitter) {
  let record: CrashRecord = NO_CRASHES;
  return times.map((t) => {
    const d = decideRestart(policy, record, { startedAt: t - upMs, crashedAt: t }, random);
    record = d.record;
    return d;
  });
}

describe("the restart policy", () => {
  it("doubles the delay after each quick crash, up to the cap", () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(policy, n))).toEqual([100, 200, 400, 800, 1600, 2000]);
    const wide = { ...policy, failAfterCrashes: 100 };
    let record = NO_CRASHES;
    const delays = [0, 1, 2, 3, 4, 5, 6].map((i) => {
      const d = decideRestart(wide, record, { startedAt: i * 1000, crashedAt: i * 1000 + 50 }, noJitter);
      record = d.record;
      return d.restart ? d.delayMs : -1;
    });
    expect(delays).toEqual([100, 200, 400, 800, 1600, 2000, 2000]);
  });

  it("spreads each delay by the jitter ratio either way, never past the cap", () => {
    const [low] = crashes([1000], 100, () => 0);
    const [high] = crashes([1000], 100, () => 0.999_999);
    expect(low).toMatchObject({ restart: true, delayMs: 80 });
    expect(high).toMatchObject({ restart: true, delayMs: 120 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (consecutive, r) => {
        const d = decideRestart(
          { ...policy, failAfterCrashes: 1000 },
          { consecutive: consecutive - 1, recentAt: [] },
          { startedAt: 0, crashedAt: 10 },
          () => r,
        );
        if (!d.restart) return false;
        const base = backoffMs(policy, consecutive);
        return d.delayMs <= policy.maxDelayMs && d.delayMs >= Math.floor(base * 0.8) && d.delayMs <= Math.ceil(base * 1.2);
      }),
    );
  });

  it("starts the backoff over once a process has stayed up long enough", () => {
    const [a, b, c] = crashes([1_000, 2_000, 3_000], 500);
    expect([a, b, c].map((d) => (d!.restart ? d!.delayMs : -1))).toEqual([100, 200, 400]);
    const after = decideRestart(policy, c!.record, { startedAt: 3_500, crashedAt: 3_500 + policy.stableAfterMs }, noJitter);
    expect(after).toMatchObject({ restart: true, delayMs: 100, record: { consecutive: 1, recentAt: [3_500 + policy.stableAfterMs] } });
  });

  it("fails a process that crashes too often within the window, and forgets crashes older than the window", () => {
    const quick = crashes([1_000, 2_000, 3_000, 4_000], 200);
    expect(quick.map((d) => d.restart)).toEqual([true, true, true, false]);
    expect(quick[3]).toMatchObject({ restart: false, reason: "crashed 4 times within 30 s" });
    // The same four crashes spread wider than the window never fail it.
    expect(crashes([0, 11_000, 22_000, 33_000, 44_000], 9_000).every((d) => d.restart)).toBe(true);
  });

  it("holds for any sequence of crashes: no delay past the cap, and failed exactly when the window since the last good run is full", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 20_000 })), { minLength: 1, maxLength: 30 }), (steps) => {
        let t = 0;
        let record = NO_CRASHES;
        let times: number[] = [];
        for (const [up, gap] of steps) {
          const startedAt = t + gap;
          t = startedAt + up;
          times = up >= policy.stableAfterMs ? [t] : [...times, t];
          const d = decideRestart(policy, record, { startedAt, crashedAt: t });
          record = d.record;
          const inWindow = times.filter((x) => t - x < policy.crashWindowMs).length;
          if (d.restart !== inWindow < policy.failAfterCrashes) return false;
          if (d.restart && (d.delayMs < 0 || d.delayMs > policy.maxDelayMs)) return false;
        }
        return true;
      }),
    );
  });

  it("gives the lab a first restart within half a second", () => {
    const d = decideRestart(LAB_RESTART_POLICY, NO_CRASHES, { startedAt: 0, crashedAt: 60_000 });
    expect(d.restart && d.delayMs).toBeLessThanOrEqual(500);
  });
});
