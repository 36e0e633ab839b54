import { describe, expect, it } from "vitest";
import type { SloReport } from "../slo/slo-status.ts";
import type { Exercise } from "./exercise-catalog.ts";
import type { InstructorView } from "./exercise-run.ts";
import { type VerifiedLab, firedSince, verifyExercise } from "./exercise-verify.ts";

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

  describe("an exercise played on a lab too busy to answer its end at once", () => {
    const quiet = {
      name: "quiet-day",
      timeLimitSeconds: 60,
      truth: { entity: { kind: "none" }, faultClass: "none", expectedAlerts: [] },
    } as unknown as Exercise;
    /** A lab with nothing firing whose end call fails `failures` times, then ends the run. */
    const busyLab = (failures: number) => {
      let status = "running";
      let ends = 0;
      const view = () => ({ id: "exr-1", status, faults: [] }) as unknown as InstructorView;
      const lab: VerifiedLab = {
        start: async () => view(),
        run: async () => view(),
        slos: async () => ({ evaluatedAt: new Date(minute(10)).toISOString(), slos: [], groups: [] }) as unknown as SloReport,
        end: async () => {
          if (++ends <= failures) throw new Error("POST /end: The operation was aborted due to timeout");
          status = "ended";
        },
      };
      return { lab, ends: () => ends };
    };
    const clock = () => {
      let t = minute(10);
      return { now: () => t, sleep: async (ms: number) => void (t += Math.max(ms, 1)) };
    };

    it("keeps its verdict when the end succeeds on a later try", async () => {
      const busy = busyLab(2);
      const verdict = await verifyExercise(busy.lab, quiet, { pollMs: 15_000, ...clock() });
      expect(verdict).toMatchObject({ ok: true, problem: null });
      expect(busy.ends()).toBe(3);
    });

    it("fails that exercise alone, saying why, when the end never comes", async () => {
      const verdict = await verifyExercise(busyLab(5).lab, quiet, { pollMs: 15_000, ...clock() });
      expect(verdict.ok).toBe(false);
      expect(verdict.problem).toMatch(/^the run could not be ended: POST \/end: The operation was aborted/);
    });
  });
});
