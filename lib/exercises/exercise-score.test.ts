import { describe, expect, it } from "vitest";
import type { Exercise } from "./exercise-catalog.ts";
import { type ScoreFacts, mitigationOf, recoveredAt, scoreExercise } from "./exercise-score.ts";

const latency: Pick<Exercise, "truth" | "mitigations" | "withinSloMinutes"> = {
  truth: { entity: { kind: "service", service: "clinical" }, faultClass: "latency", expectedAlerts: [{ slo: "find-latency", tier: "page-fast" }] },
  mitigations: [{ action: "roll-back-config", service: "clinical" }],
  withinSloMinutes: 3,
};
const quiet: Pick<Exercise, "truth" | "mitigations" | "withinSloMinutes"> = {
  truth: { entity: { kind: "none" }, faultClass: "none", expectedAlerts: [] },
  mitigations: [{ action: "none" }],
  withinSloMinutes: 3,
};

const minute = (m: number) => new Date(Date.UTC(2026, 11, 3, 10, m)).toISOString();
/** Minutes 0-20: bad (half the requests) from 2 to `fixedAt`, good after. */
const slis = (fixedAt: number): ScoreFacts["slis"] => [
  { slo: "find-latency", target: 0.99, minutes: Array.from({ length: 21 }, (_, m) => ({ at: minute(m), requests: 100, bad: m >= 2 && m < fixedAt ? 50 : 0 })) },
];
const facts = (over: Partial<ScoreFacts> = {}): ScoreFacts => ({
  startedAt: minute(0),
  endedAt: minute(20),
  injectedAt: minute(1),
  acknowledgedAt: minute(4),
  incidentAt: minute(5),
  diagnoses: [{ at: minute(7), entity: { kind: "service", service: "clinical" }, faultClass: "latency" }],
  levers: [{ at: minute(8) + "", action: "supervisor.faults-clear", target: "clinical" }],
  hints: 0,
  slis: slis(9),
  collateral: [{ slo: "claims-latency", target: 0.99, minutes: Array.from({ length: 20 }, (_, m) => ({ at: minute(m), requests: 50, bad: 0 })) }],
  ...over,
});

describe("an exercise's score", () => {
  it("gives full marks for a page answered, an incident declared, the right diagnosis and a rollback the SLIs confirm", () => {
    const score = scoreExercise(latency, facts());
    expect(score).toMatchObject({
      points: 100,
      acknowledged: { afterSeconds: 180 },
      diagnosis: { entityRight: true, classRight: true, rightAfterSeconds: 360 },
      mitigation: { lever: { action: "roll-back-config", service: "clinical" }, afterSeconds: 420, withinSlo: true, recoveredAt: minute(9) },
      wrongTargetActions: [],
      collateralMinutes: 0,
    });
  });

  it("counts mitigated only when the SLIs stay within the objective for the set minutes after the lever", () => {
    // The lever at minute 8, but the journey keeps failing until minute 19: two good minutes are not three.
    expect(scoreExercise(latency, facts({ slis: slis(19) })).mitigation).toMatchObject({ withinSlo: false, recoveredAt: null });
    expect(recoveredAt(slis(9), minute(8), 3)).toBe(minute(9));
    // No traffic is not health.
    const silent: ScoreFacts["slis"] = [
      { slo: "find-latency", target: 0.99, minutes: Array.from({ length: 21 }, (_, m) => ({ at: minute(m), requests: 0, bad: 0 })) },
    ];
    expect(recoveredAt(silent, minute(8), 3)).toBeNull();
  });

  it("marks a wrong diagnosis, a lever on the wrong target, hints and collateral burn", () => {
    const score = scoreExercise(
      latency,
      facts({
        diagnoses: [{ at: minute(7), entity: { kind: "service", service: "billing" }, faultClass: "errors" }],
        levers: [
          { at: minute(6), action: "supervisor.restart", target: "billing" },
          { at: minute(8), action: "supervisor.faults-clear", target: "clinical" },
        ],
        hints: 1,
        // The billing restart failed the patients' claims for two minutes; a quiet minute says nothing.
        collateral: [
          {
            slo: "claims-latency",
            target: 0.99,
            minutes: Array.from({ length: 20 }, (_, m) => ({ at: minute(m), requests: m === 10 ? 0 : 50, bad: m === 6 || m === 7 ? 5 : 0 })),
          },
        ],
      }),
    );
    expect(score.diagnosis).toMatchObject({ entityRight: false, classRight: false, rightAfterSeconds: null });
    expect(score.wrongTargetActions).toEqual([
      { at: minute(6), lever: { action: "restart-process", process: "billing" }, action: "supervisor.restart", target: "billing" },
    ]);
    expect(score.collateralMinutes).toBe(2);
    expect(score.points).toBe(15 + 15 + 30 - 5 - 5);
  });

  it("gives a no-fault exercise full marks for saying nothing is wrong and touching nothing; an incident there is a false alarm", () => {
    const calm = facts({
      injectedAt: null,
      acknowledgedAt: null,
      incidentAt: null,
      diagnoses: [{ at: minute(9), entity: { kind: "none" }, faultClass: "none" }],
      levers: [],
    });
    expect(scoreExercise(quiet, calm)).toMatchObject({ points: 100, falseAlarm: false, mitigation: { withinSlo: true } });
    const jumpy = scoreExercise(quiet, { ...calm, incidentAt: minute(3), levers: [{ at: minute(4), action: "supervisor.restart", target: "clinical" }] });
    expect(jumpy).toMatchObject({ falseAlarm: true, mitigation: { withinSlo: false } });
    expect(jumpy.points).toBe(25 + 15 - 5);
  });

  it("scores a locked shard mitigated by ending its blocking session, and a service restart beforehand as a lever on the wrong target", () => {
    const shardOutage: Pick<Exercise, "truth" | "mitigations" | "withinSloMinutes"> = {
      truth: { entity: { kind: "shard", shard: 2 }, faultClass: "unavailable", expectedAlerts: [{ slo: "find-latency", tier: "page-fast" }] },
      mitigations: [{ action: "end-blocking-session", shard: 2 }],
      withinSloMinutes: 3,
    };
    const score = scoreExercise(
      shardOutage,
      facts({
        diagnoses: [{ at: minute(7), entity: { kind: "shard", shard: 2 }, faultClass: "unavailable" }],
        levers: [
          { at: minute(6), action: "supervisor.restart", target: "clinical" },
          { at: minute(8), action: "supervisor.shard-session-end", target: "shard-2" },
        ],
      }),
    );
    expect(score.mitigation).toMatchObject({ lever: { action: "end-blocking-session", shard: 2 }, withinSlo: true });
    expect(score.wrongTargetActions).toMatchObject([{ action: "supervisor.restart", target: "clinical" }]);
  });

  it("reads the levers back from the audit's actions", () => {
    expect(mitigationOf({ action: "supervisor.shard-session-end", target: "shard-3" })).toEqual({ action: "end-blocking-session", shard: 3 });
    expect(mitigationOf({ action: "supervisor.faults-clear", target: "projector" })).toEqual({ action: "resume-event-pipeline" });
    expect(mitigationOf({ action: "supervisor.crash-loop-end", target: "billing" })).toEqual({ action: "roll-back-config", service: "billing" });
    expect(mitigationOf({ action: "supervisor.resume", target: "gateway" })).toEqual({ action: "resume-process", process: "gateway" });
    expect(mitigationOf({ action: "traffic.stop", target: "simulator" })).toEqual({ action: "shed-traffic" });
    expect(mitigationOf({ action: "traffic.shed-on", target: "gateway" })).toEqual({ action: "shed-traffic" });
    expect(mitigationOf({ action: "supervisor.faults-clear", target: "gateway" })).toEqual({ action: "roll-back-config", service: "gateway" });
    expect(mitigationOf({ action: "supervisor.kill", target: "clinical" })).toBeNull();
  });
});
