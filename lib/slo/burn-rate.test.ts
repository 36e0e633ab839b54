import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { INACTIVE, type TierAlert, stepAlert } from "./alert-state.ts";
import { addToGroup, budgetLedger, budgetRemainingAt, burnRateAt, emptyGroupLedger, readTiers, replayAlerts } from "./burn-rate.ts";
import { tiersFor } from "./burn-rate-tiers.ts";
import { evaluateSlos } from "./evaluate-slos.ts";
import type { SloDefinition } from "./load-slos.ts";

const MONTH = 30 * 1440;

describe("burn-rate tiers", () => {
  it("are 14.4x/1h+5m, 6x/6h+30m, 3x/1d+2h and 1x/3d+6h for a 30-day SLO", () => {
    expect(tiersFor(MONTH).map((t) => [t.name, t.factor, t.longMinutes, t.shortMinutes, t.severity])).toEqual([
      ["page-fast", 14.4, 60, 5, "page"],
      ["page-slow", 6, 360, 30, "page"],
      ["ticket-fast", 3, 1440, 120, "ticket"],
      ["ticket-slow", 1, 4320, 360, "ticket"],
    ]);
  });

  it("scale their factors with the SLO window, so each still means the same share of the budget", () => {
    const week = tiersFor(7 * 1440);
    expect(week[0]!.factor).toBeCloseTo(3.36, 12); // 2 % of a week's budget in an hour
    expect(week[3]!.factor).toBeCloseTo(7 / 30, 12);
  });

  it("leave out the tiers an SLO disables", () => {
    expect(tiersFor(MONTH, ["page-slow", "ticket-slow"]).map((t) => t.name)).toEqual(["page-fast", "ticket-fast"]);
  });
});

describe("alert state machine", () => {
  it("goes pending, fires after its for, resolves, and is inactive again 15 minutes later", () => {
    const states: string[] = [];
    let alert: TierAlert = INACTIVE;
    const conditions = [false, true, true, true, false, ...Array(15).fill(false)];
    conditions.forEach((met, minute) => {
      alert = stepAlert(alert, met, minute, 2);
      states.push(alert.state);
    });
    expect(states.slice(0, 6)).toEqual(["inactive", "pending", "pending", "firing", "resolved", "resolved"]);
    expect(states.at(-1)).toBe("inactive");
  });

  it("drops a pending alert whose burn stops before its for (nothing to resolve)", () => {
    const pending = stepAlert(INACTIVE, true, 10, 5);
    expect(stepAlert(pending, false, 11, 5).state).toBe("inactive");
  });

  it("fires at once when for is zero", () => {
    expect(stepAlert(INACTIVE, true, 3, 0)).toMatchObject({ state: "firing", firedAt: 3 });
  });
});

describe("burn rates and budget", () => {
  const steady = (minutes: number, requests: number, bad: number) => ({ startMinute: 0, total: Array(minutes).fill(requests), bad: Array(minutes).fill(bad) });

  it("is the error ratio over the allowed share: 2 bad in 1,000 against 99.9 % is 2x", () => {
    const ledger = budgetLedger(steady(120, 1000, 2), 0.999);
    expect(burnRateAt(ledger, 120, 60)).toBeCloseTo(2, 9);
    expect(burnRateAt(ledger, 120, 5)).toBeCloseTo(2, 9);
  });

  it("is NaN without traffic, and then fires nothing", () => {
    const ledger = budgetLedger(steady(60, 0, 0), 0.999);
    expect(burnRateAt(ledger, 60, 5)).toBeNaN();
    expect(readTiers(ledger, tiersFor(MONTH), 60).every((t) => !t.conditionMet)).toBe(true);
    expect(budgetRemainingAt(ledger, 60, MONTH)).toBe(1);
  });

  it("spends the budget in proportion: a 2x burn for a tenth of the window leaves 80 %", () => {
    const ledger = budgetLedger(steady(MONTH, 100, 0), 0.99);
    const burnt = budgetLedger({ startMinute: 0, total: Array(MONTH).fill(100), bad: Array.from({ length: MONTH }, (_, i) => (i < MONTH / 10 ? 2 : 0)) }, 0.99);
    expect(budgetRemainingAt(ledger, MONTH, MONTH)).toBe(1);
    expect(budgetRemainingAt(burnt, MONTH, MONTH)).toBeCloseTo(0.8, 9);
  });

  it("rolls a group up by budget: each member's bad requests against its own allowance", () => {
    const strict = budgetLedger(steady(60, 1000, 1), 0.999); // 1x
    const loose = budgetLedger(steady(60, 1000, 30), 0.99); // 3x
    const group = emptyGroupLedger(0, 61);
    addToGroup(group, strict);
    addToGroup(group, loose);
    // (1 + 30) bad against (1 + 10) allowed a minute
    expect(burnRateAt(group, 60, 60)).toBeCloseTo(31 / 11, 9);
  });

  it("replays the same transitions as evaluating every minute naively (property)", () => {
    const minute = fc.record({ requests: fc.integer({ min: 0, max: 50 }), badShare: fc.double({ min: 0, max: 1, noNaN: true }) });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 400 }), minute), { minLength: 1, maxLength: 12 }),
        fc.constantFrom(0.9, 0.99, 0.999),
        (segments, target) => {
          const total: number[] = [];
          const bad: number[] = [];
          for (const [length, m] of segments) {
            for (let i = 0; i < length; i++) {
              total.push(m.requests);
              bad.push(Math.floor(m.requests * m.badShare));
            }
          }
          const ledger = budgetLedger({ startMinute: 1000, total, bad }, target);
          const tiers = tiersFor(7 * 1440);
          const fast = replayAlerts(ledger, tiers);
          for (const tier of tiers) {
            let alert = INACTIVE;
            const naive: string[] = [];
            for (let end = 1; end <= total.length; end++) {
              const [reading] = readTiers(ledger, [tier], end);
              const next = stepAlert(alert, reading!.conditionMet, 1000 + end, tier.forMinutes);
              if (next.state !== alert.state) naive.push(`${1000 + end} ${next.state}`);
              alert = next;
            }
            expect(fast.transitions.filter((t) => t.tier === tier.name).map((t) => `${t.minute} ${t.to}`)).toEqual(naive);
            expect(fast.alerts[tier.name]).toEqual(alert);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("evaluating SLOs", () => {
  const slo = (name: string, service: string, target: number): SloDefinition => ({
    name,
    displayName: name,
    description: "",
    service,
    journey: "clinician/prescribe",
    source: "server",
    sli: { kind: "availability" },
    target,
    windowMinutes: MONTH,
    tiers: tiersFor(MONTH),
    noDataAgainst: null,
    file: "test",
  });

  it("reports each SLO's budget, tiers and alert history, and a group per service", () => {
    const minutes = 180;
    const outage = { startMinute: 0, total: Array(minutes).fill(100), bad: Array.from({ length: minutes }, (_, i) => (i >= 120 ? 100 : 0)) };
    const healthy = { startMinute: 0, total: Array(minutes).fill(100), bad: Array(minutes).fill(0) };
    const result = evaluateSlos([slo("a", "clinical", 0.999), slo("b", "clinical", 0.999), slo("c", "billing", 0.99)], (s) =>
      s.name === "a" ? outage : healthy,
    );
    const a = result.slos.find((s) => s.name === "a")!;
    expect(a.tiers.find((t) => t.tier === "page-fast")!.state).toBe("firing");
    expect(a.transitions.find((t) => t.tier === "page-fast" && t.to === "firing")!.minute).toBeLessThanOrEqual(125);
    expect(a.budgetRemaining).toBeLessThan(0);
    expect(result.slos.find((s) => s.name === "c")!.budgetRemaining).toBe(1);
    expect(result.groups.map((g) => [g.name, g.members])).toEqual([
      ["clinical-30d", ["a", "b"]],
      ["billing-30d", ["c"]],
    ]);
    // Half the clinical group's traffic is down: it burns half as fast as "a", still far above 14.4x.
    expect(result.groups[0]!.tiers[0]!.shortBurnRate).toBeCloseTo(a.tiers[0]!.shortBurnRate / 2, 9);
  });
});
