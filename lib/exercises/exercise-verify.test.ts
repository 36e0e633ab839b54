import { describe, expect, it } from "vitest";
import type { SloReport } from "../slo/slo-status.ts";
import { firedSince } from "./exercise-verify.ts";

const minute = (m: number) => m * 60_000;
type Slo = SloReport["slos"][number];
const slo = (name: string, transitions: { tier: string; minute: number; to: string }[], firing: string[] = []): Slo =>
  ({
    name,
    tiers: ["page-fast", "page-slow"].map((tier) => ({ tier, state: firing.includes(tier) ? "firing" : "inactive" })),
    transitions: transitions.map((t) => ({ ...t, severity: "page", from: "pending", longBurnRate: 20, shortBurnRate: 20 })),
  }) as unknown as Slo;

describe("the alerts an exercise's lab fired", () => {
  it("are each tier's first transition to firing after the fault, at the evaluation that found it", () => {
    const report = {
      evaluatedAt: new Date(minute(110)).toISOString(),
      slos: [
        slo("a", [
          { tier: "page-fast", minute: 104, to: "firing" },
          { tier: "page-fast", minute: 106, to: "resolved" },
          { tier: "page-fast", minute: 108, to: "firing" },
          { tier: "page-slow", minute: 103, to: "pending" },
        ]),
        slo("before", [{ tier: "page-fast", minute: 99, to: "firing" }]),
      ],
      groups: [],
    } as unknown as SloReport;
    expect(firedSince(report, minute(100))).toEqual([{ slo: "a", tier: "page-fast", atMs: minute(104) }]);
  });

  it("count a tier firing now whose transition the report no longer shows, from the evaluation", () => {
    const report = { evaluatedAt: new Date(minute(50)).toISOString(), slos: [slo("b", [], ["page-slow"])], groups: [] } as unknown as SloReport;
    expect(firedSince(report, minute(40))).toEqual([{ slo: "b", tier: "page-slow", atMs: minute(50) }]);
  });
});
