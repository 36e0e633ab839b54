import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArrivalProfile, arrivals, expectedArrivals, rateAt } from "./arrival-processes.ts";

const count = (profile: ArrivalProfile, seconds: number, spacing: "even" | "poisson", seed = 7) => [...arrivals(profile, seconds, { spacing, seed })].length;

describe("arrival processes", () => {
  it("spaces a constant rate evenly: 2,000/s for 10 s is 20,000 arrivals half a millisecond apart", () => {
    const times = [...arrivals({ shape: "constant", ratePerSecond: 2000 }, 10, { spacing: "even" })];
    expect(times.length).toBe(20_000);
    expect(times[0]).toBe(0);
    expect(times[1]! - times[0]!).toBeCloseTo(0.0005, 6);
  });

  it("draws Poisson arrivals whose count stays within 1 % of the offered mean, the same for the same seed", () => {
    const profile: ArrivalProfile = { shape: "constant", ratePerSecond: 2000 };
    const n = count(profile, 30, "poisson");
    expect(Math.abs(n - 60_000) / 60_000).toBeLessThan(0.01);
    expect(count(profile, 30, "poisson")).toBe(n);
    expect(count(profile, 30, "poisson", 8)).not.toBe(n);
  });

  it("follows a diurnal curve: trough at the start, peak half way, the mean in between", () => {
    const day: ArrivalProfile = { shape: "diurnal", baseRatePerSecond: 10, peakRatePerSecond: 110, periodSeconds: 600 };
    expect(rateAt(day, 0)).toBeCloseTo(10, 9);
    expect(rateAt(day, 300)).toBeCloseTo(110, 9);
    expect(expectedArrivals(day, 600)).toBeCloseTo(60 * 600, 6);
    const times = [...arrivals(day, 600, { spacing: "even" })];
    const firstTenth = times.filter((t) => t < 60).length;
    const middleTenth = times.filter((t) => t >= 270 && t < 330).length;
    expect(middleTenth).toBeGreaterThan(firstTenth * 5);
  });

  it("bursts at the start of every period and ramps linearly", () => {
    const burst: ArrivalProfile = { shape: "burst", baseRatePerSecond: 100, burstRatePerSecond: 1000, burstSeconds: 2, everySeconds: 10 };
    const times = [...arrivals(burst, 20, { spacing: "even" })];
    expect(times.filter((t) => t >= 10 && t < 12).length).toBe(2000);
    expect(times.filter((t) => t >= 12 && t < 20).length).toBe(800);
    expect(times.length).toBe(5600);
    const ramp: ArrivalProfile = { shape: "ramp", fromRatePerSecond: 0, toRatePerSecond: 200, overSeconds: 10 };
    expect(expectedArrivals(ramp, 10)).toBeCloseTo(1000, 9);
    expect(expectedArrivals(ramp, 15)).toBeCloseTo(2000, 9);
  });

  it("integrates every shape exactly: the closed form matches a numeric sum of its rate (property)", () => {
    // Any profile of each shape: rates up to 5,000/s (bases up to 500/s), and the shape's own periods.
    const int = (min: number, max: number) => fc.integer({ min, max });
    const shape = <S extends string, F extends Record<string, fc.Arbitrary<number>>>(name: S, fields: F) => fc.record({ shape: fc.constant(name), ...fields });
    const profile = fc.oneof(
      shape("constant", { ratePerSecond: int(0, 5000) }),
      shape("diurnal", { baseRatePerSecond: int(0, 500), peakRatePerSecond: int(0, 5000), periodSeconds: int(10, 3600) }),
      shape("burst", { baseRatePerSecond: int(0, 500), burstRatePerSecond: int(0, 5000), burstSeconds: int(1, 10), everySeconds: int(10, 60) }),
      shape("ramp", { fromRatePerSecond: int(0, 5000), toRatePerSecond: int(0, 5000), overSeconds: int(1, 600) }),
    );
    fc.assert(
      fc.property(profile, fc.integer({ min: 1, max: 900 }), (p, seconds) => {
        const parsed = ArrivalProfile.parse(p);
        const step = 0.01;
        let sum = 0;
        for (let t = step / 2; t < seconds; t += step) sum += rateAt(parsed, t) * step;
        const exact = expectedArrivals(parsed, seconds);
        // The midpoint sum is exact for these shapes but for the curve's tiny curvature and rounding.
        expect(Math.abs(sum - exact)).toBeLessThanOrEqual(Math.max(0.01, exact * 1e-6));
      }),
      { numRuns: 60 },
    );
  });

  it("refuses a burst longer than its period, naming the field", () => {
    const bad = ArrivalProfile.safeParse({ shape: "burst", baseRatePerSecond: 1, burstRatePerSecond: 2, burstSeconds: 20, everySeconds: 10 });
    expect(bad.error?.issues[0]?.path).toEqual(["burstSeconds"]);
  });
});
