import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SeededRandom } from "../synth/random.ts";
import { type FaultRule, FaultRulesInput, decideFault, sampleLatency } from "./fault-rules.ts";

const now = new Date("2026-11-24T12:00:00Z");
const rule = (over: Partial<FaultRule>): FaultRule => ({
  id: "r",
  match: {},
  effect: { kind: "error", status: 503, rate: 1 },
  durationSeconds: 60,
  expiresAt: new Date(now.getTime() + 60_000),
  setBy: "usr-sre",
  ...over,
});
const facts = { route: "/patients/:patientId", method: "GET", shard: 2, persona: "clinician" };

describe("fault rules", () => {
  it("does nothing without rules, and nothing after a rule expires", () => {
    expect(decideFault([], facts, now)).toEqual({ delayMs: 0, fail: null, hangMs: 0, unrecorded: false });
    expect(decideFault([rule({ expiresAt: now })], facts, now).fail).toBeNull();
  });

  it("matches on route, method, shard and persona, all of which must hold", () => {
    expect(
      decideFault([rule({ match: { routes: ["/patients/:patientId"], shards: [2], personas: ["clinician"], methods: ["GET"] } })], facts, now).fail,
    ).toEqual({ status: 503, ruleId: "r" });
    for (const match of [{ routes: ["/claims"] }, { shards: [0, 1] }, { personas: ["billing" as const] }, { methods: ["POST" as const] }]) {
      expect(decideFault([rule({ match })], facts, now).fail, JSON.stringify(match)).toBeNull();
    }
    expect(decideFault([rule({ match: { shards: [2] } })], { ...facts, shard: null }, now).fail).toBeNull();
  });

  it("fails about `rate` of requests", () => {
    const random = new SeededRandom(4);
    let failed = 0;
    for (let i = 0; i < 10_000; i++)
      if (decideFault([rule({ effect: { kind: "error", status: 500, rate: 0.1 } })], facts, now, () => random.next()).fail) failed++;
    expect(failed / 10_000).toBeGreaterThan(0.09);
    expect(failed / 10_000).toBeLessThan(0.11);
  });

  it("samples latencies with the distribution's mean and never below zero", () => {
    const random = new SeededRandom(5);
    const r = () => random.next();
    const mean = (f: () => number) => Array.from({ length: 20_000 }, f).reduce((a, b) => a + b, 0) / 20_000;
    expect(mean(() => sampleLatency({ type: "exponential", meanMs: 200 }, r))).toBeGreaterThan(190);
    expect(mean(() => sampleLatency({ type: "exponential", meanMs: 200 }, r))).toBeLessThan(210);
    expect(mean(() => sampleLatency({ type: "normal", meanMs: 300, stdDevMs: 50 }, r))).toBeCloseTo(300, -1);
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(1000), (m, s) => {
        expect(sampleLatency({ type: "normal", meanMs: m, stdDevMs: s }, Math.random)).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it("adds latencies of several rules and lets the first error win", () => {
    const rules = [
      rule({ id: "a", effect: { kind: "latency", distribution: { type: "fixed", ms: 100 }, rate: 1 } }),
      rule({ id: "b", effect: { kind: "latency", distribution: { type: "fixed", ms: 50 }, rate: 1 } }),
      rule({ id: "c", effect: { kind: "error", status: 502, rate: 1 } }),
      rule({ id: "d", effect: { kind: "error", status: 500, rate: 1 } }),
    ];
    expect(decideFault(rules, facts, now)).toEqual({ delayMs: 150, fail: { status: 502, ruleId: "c" }, hangMs: 0, unrecorded: false });
  });

  it("hides a matched request from its SLI without changing its answer, beside the other effects", () => {
    const unrecorded = rule({ id: "u", match: { personas: ["clinician"] }, effect: { kind: "unrecorded", rate: 1 } });
    expect(decideFault([unrecorded], facts, now)).toEqual({ delayMs: 0, fail: null, hangMs: 0, unrecorded: true });
    expect(decideFault([unrecorded], { ...facts, persona: "patient" }, now).unrecorded).toBe(false);
    const both = decideFault([unrecorded, rule({ id: "e" })], facts, now);
    expect(both).toMatchObject({ unrecorded: true, fail: { status: 503, ruleId: "e" } });
  });

  it("refuses rule sets with duplicate ids, unknown fields or impossible ranges, naming the field", () => {
    const ok = { id: "x", effect: { kind: "hang", rate: 0.5 }, durationSeconds: 30 };
    expect(FaultRulesInput.safeParse({ rules: [ok] }).success).toBe(true);
    expect(FaultRulesInput.safeParse({ rules: [ok, ok] }).error?.issues[0]?.path).toEqual(["rules"]);
    expect(FaultRulesInput.safeParse({ rules: [{ ...ok, boom: 1 }] }).success).toBe(false);
    const range = FaultRulesInput.safeParse({ rules: [{ ...ok, effect: { kind: "latency", distribution: { type: "uniform", minMs: 9, maxMs: 1 } } }] });
    expect(range.error?.issues[0]?.path).toEqual(["rules", 0, "effect", "distribution", "minMs"]);
  });
});
