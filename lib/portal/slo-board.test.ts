import { describe, expect, it } from "vitest";
import { sloBoard } from "./slo-board.ts";

const tier = (name: string, state: string, shortBurnRate = 0) => ({ tier: name, state, shortBurnRate });
const slo = (name: string, budgetRemaining: number, tiers: ReturnType<typeof tier>[]) =>
  ({ name, displayName: name, journey: "j", source: "server", target: 0.999, windowMinutes: 43_200, budgetRemaining, tiers }) as never;

describe("the SLO board", () => {
  it("puts SLOs with firing alerts first, then the least budget left, and reads the burn from the fastest tier", () => {
    const rows = sloBoard({
      slos: [
        slo("calm", 0.9, [tier("page-fast", "inactive", 0.2)]),
        slo("low", 0.1, [tier("page-fast", "pending", 3)]),
        slo("burning", 0.5, [tier("page-fast", "firing", 20.456), tier("ticket-slow", "pending")]),
      ],
    });
    expect(rows.map((r) => r.name)).toEqual(["burning", "low", "calm"]);
    expect(rows[0]).toMatchObject({
      firing: ["page-fast"],
      pending: ["ticket-slow"],
      burnNow: 20.46,
      budgetRemainingPercent: 50,
      targetPercent: 99.9,
      windowDays: 30,
    });
  });
});
