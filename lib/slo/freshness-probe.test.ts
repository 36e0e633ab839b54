import { describe, expect, it } from "vitest";
import { type FreshnessReading, startFreshnessProbe } from "./freshness-probe.ts";

/** A probe over a scripted sequence of answers (an Error: no answer), recording what it counts. */
function probeOver(answers: (FreshnessReading | Error)[]) {
  const counted: { ok: boolean; stalenessMs: number }[] = [];
  let n = 0;
  let onCounting = 0;
  const probe = startFreshnessProbe({
    read: async () => {
      const a = answers[n++]!;
      if (a instanceof Error) throw a;
      return a;
    },
    record: (_at, ok, stalenessMs) => counted.push({ ok, stalenessMs }),
    thresholdMs: 10_000,
    everyMs: 3_600_000,
    onCounting: () => onCounting++,
  });
  return {
    counted,
    onCounting: () => onCounting,
    run: async () => {
      for (let i = 0; i < answers.length; i++) await probe.probe();
      probe.stop();
    },
  };
}

describe("the read models' freshness probe", () => {
  it("counts nothing until the pipeline first catches up, then every probe, fresh or not", async () => {
    const p = probeOver([
      { fresh: false, stalenessMs: 400_000 }, // the seed still going through
      new Error("projector starting"),
      { fresh: true, stalenessMs: 300 },
      { fresh: false, stalenessMs: 10_001 },
      { fresh: true, stalenessMs: 0 },
    ]);
    await p.run();
    expect(p.counted).toEqual([
      { ok: true, stalenessMs: 300 },
      { ok: true, stalenessMs: 10_001 },
      { ok: true, stalenessMs: 0 },
    ]);
    expect(p.onCounting()).toBe(1);
  });

  it("counts a probe with no answer as stale, beyond the threshold", async () => {
    const p = probeOver([{ fresh: true, stalenessMs: 5 }, new Error("connect ECONNREFUSED"), { fresh: false, stalenessMs: 2_000 }]);
    await p.run();
    expect(p.counted).toEqual([
      { ok: true, stalenessMs: 5 },
      { ok: false, stalenessMs: 10_001 },
      { ok: true, stalenessMs: 10_001 },
    ]);
  });

  it("gives up on an answer slower than its timeout and counts it stale", async () => {
    const counted: boolean[] = [];
    let calls = 0;
    const probe = startFreshnessProbe({
      read: (signal) =>
        calls++ === 0
          ? Promise.resolve({ fresh: true, stalenessMs: 0 })
          : new Promise((_resolve, reject) => signal.addEventListener("abort", () => reject(signal.reason))),
      record: (_at, ok) => counted.push(ok),
      thresholdMs: 10_000,
      timeoutMs: 50,
      everyMs: 3_600_000,
    });
    await probe.probe();
    await probe.probe();
    probe.stop();
    expect(counted).toEqual([true, false]);
  });
});
