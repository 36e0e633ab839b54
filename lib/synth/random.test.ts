import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SeededRandom } from "./random.ts";

describe("seeded random source", () => {
  it("repeats the same sequence for the same seed and differs for another", () => {
    const take = (seed: number[]) => {
      const r = new SeededRandom(seed);
      return Array.from({ length: 8 }, () => r.nextUint32());
    };
    expect(take([42, 7])).toEqual(take([42, 7]));
    expect(take([42, 7])).not.toEqual(take([42, 8]));
    expect(take([42, 7])).not.toEqual(take([43, 7]));
  });

  it("gives unrelated streams for neighbouring seeds, not the same stream shifted", () => {
    const first = (seed: number[]) => new SeededRandom(seed).nextUint32();
    const seen = new Set<number>();
    for (let a = 0; a < 50; a++) for (let b = 0; b < 50; b++) seen.add(first([a, b]));
    expect(seen.size).toBe(2500);
    expect(first([42, 7])).not.toBe(first([43, 6]));
  });

  it("keeps int() inside its bounds", () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (seed, min, span) => {
        const r = new SeededRandom(seed);
        const v = r.int(min, min + span);
        expect(v).toBeGreaterThanOrEqual(min);
        expect(v).toBeLessThanOrEqual(min + span);
      }),
    );
  });

  it("draws floats that look uniform (mean within 1 % of 0.5 over 100,000 draws)", () => {
    const r = new SeededRandom(1);
    let sum = 0;
    for (let i = 0; i < 100_000; i++) sum += r.next();
    expect(Math.abs(sum / 100_000 - 0.5)).toBeLessThan(0.005);
  });

  it("makes well-formed version-4 UUIDs", () => {
    const r = new SeededRandom(9);
    for (let i = 0; i < 100; i++) expect(r.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
