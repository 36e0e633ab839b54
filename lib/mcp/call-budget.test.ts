import { describe, expect, it } from "vitest";
import { CallBudget } from "./call-budget.ts";

describe("an agent's call budget", () => {
  it("lets a burst through, then refuses with the wait until the next call, and refills at the sustained rate", () => {
    let now = 0;
    const budget = new CallBudget({ perMinute: 60, burst: 3, now: () => now });
    expect([1, 2, 3].map(() => budget.take("usr-oncall/scripted").ok)).toEqual([true, true, true]);
    expect(budget.take("usr-oncall/scripted")).toEqual({ ok: false, retryAfterMs: 1000 });
    now = 1000;
    expect(budget.take("usr-oncall/scripted").ok).toBe(true);
    expect(budget.take("usr-oncall/scripted").ok).toBe(false);
  });

  it("keeps each agent's budget apart", () => {
    const budget = new CallBudget({ perMinute: 60, burst: 1, now: () => 0 });
    expect(budget.take("usr-oncall/a").ok).toBe(true);
    expect(budget.take("usr-oncall/a").ok).toBe(false);
    expect(budget.take("usr-sre/a").ok).toBe(true);
  });
});
