import { describe, expect, it } from "vitest";
import { byteBoundedParts } from "./kafka-bus.ts";

describe("Kafka publishing in parts", () => {
  it("splits a batch into consecutive parts under the byte bound, in order, a message larger than the bound alone", () => {
    const m = (i: number, size: number) => ({ key: `pat-${i}`, value: "x".repeat(size) });
    const batch = [m(0, 300), m(1, 300), m(2, 300), m(3, 2_000), m(4, 10)];
    const parts = byteBoundedParts(batch, 1_000);
    expect(parts.map((p) => p.map((x) => x.key))).toEqual([["pat-0", "pat-1"], ["pat-2"], ["pat-3"], ["pat-4"]]);
    expect(parts.flat()).toEqual(batch);
    expect(byteBoundedParts([], 1_000)).toEqual([]);
  });
});
