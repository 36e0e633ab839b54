import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json.ts";

describe("canonical JSON", () => {
  it("gives the same text whatever the key order", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
      }),
    );
  });

  it("writes dates, bigints and nested objects in one fixed form", () => {
    expect(canonicalJson({ b: 1n, a: new Date("2026-01-01T00:00:00Z"), c: { z: undefined, y: [undefined, 2] } })).toBe(
      '{"a":"2026-01-01T00:00:00.000Z","b":"1","c":{"y":[null,2]}}',
    );
  });

  it("refuses values JSON cannot carry faithfully", () => {
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/NaN/);
  });
});
