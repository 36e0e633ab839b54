import { mkdtempSync, rmSync } from "node:fs";
import { availabilitySlo } from "../slo/slo-fixture.ts";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordOnTimeline } from "../audit/control-timeline.ts";
import type { Actor } from "../auth/roles.ts";
import { migrate, migrationsDir, readMigrations } from "../data/migrations.ts";
import { type SqlDatabase, openSqlite } from "../data/sql-database.ts";
import type { ExerciseLab } from "../drills/lab-effects.ts";
import type { SloHistory } from "../slo/slo-history.ts";
import type { Exercise } from "./exercise-catalog.ts";
import { ExerciseConductor } from "./exercise-conductor.ts";
import { exerciseReviewMarkdown } from "./exercise-review.ts";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "pimlab-exercise-"));
const instructor: Actor = { userId: "usr-instructor", role: "instructor", facilityId: null, patientId: null };
const oncall: Actor = { userId: "usr-oncall", role: "oncall", facilityId: null, patientId: null };
const meta = { requestId: "req-exercise-test", traceId: "4bf92f3577b34da6a3ce929d0e0e4736" };

const morning: Exercise = {
  name: "clinic-morning",
  title: "Morning clinic",
  briefing: "Clinicians say charting feels off.",
  timeLimitSeconds: 900,
  hidden: {
    traffic: { profile: "steady-demo", seed: 101 },
    faults: [
      { afterSeconds: 0, drill: "service-latency", params: { service: "clinical", latency: { type: "fixed", ms: 900 } }, durationSeconds: 600, abortWhen: [] },
    ],
  },
  truth: {
    entity: { kind: "service", service: "clinical" },
    faultClass: "latency",
    expectedAlerts: [{ slo: "clinician-record-diagnosis-latency", tier: "page-fast" }],
  },
  mitigations: [{ action: "roll-back-config", service: "clinical" }],
  withinSloMinutes: 3,
  touchedServices: ["clinical"],
};

/** A lab whose SLI is bad until the rollback and good for the minutes after it. */
function fakeLab() {
  const traffic: unknown[] = [];
  let fixedAt = Number.POSITIVE_INFINITY;
  const lab: ExerciseLab = {
    sloHistory: async (name): Promise<SloHistory> => {
      const start = Math.floor(Date.now() / 60_000) - 2;
      const points = Array.from({ length: 10 }, (_, i) => {
        const at = (start + i) * 60_000;
        return { at: new Date(at).toISOString(), budgetRemaining: 1, requests: 100, bad: at > fixedAt ? 0 : 40, burn: {} };
      });
      return { slo: name, minutes: 10, tiers: [], points };
    },
    setTraffic: async (t) => void traffic.push(t),
  };
  return { lab, traffic, fixAt: (t: number) => (fixedAt = t) };
}

describe("the exercise conductor", () => {
  let control: SqlDatabase;
  const launched: unknown[] = [];
  const aborted: string[] = [];
  const fake = fakeLab();
  let conductor: ExerciseConductor;

  beforeAll(async () => {
    control = openSqlite(join(dir, "control.db"), "control");
    await migrate(control, readMigrations(migrationsDir(root, "sqlite", "control")));
    conductor = new ExerciseConductor({
      exercises: [morning],
      slos: [
        availabilitySlo({
          name: "clinician-record-diagnosis-latency",
          target: 0.99,
          journey: "clinician/record-diagnosis",
          sli: { kind: "latency", thresholdMs: 1000 },
        }),
        availabilitySlo({ name: "clinician-record-diagnosis-availability", target: 0.999, journey: "clinician/record-diagnosis" }),
      ],
      engine: {
        launch: async (_actor, input) => {
          launched.push(input);
          return { id: `drl-test-${launched.length}` } as never;
        },
        abort: async (_actor, id) => {
          aborted.push(id);
          return {} as never;
        },
      },
      control,
      lab: fake.lab,
      settleEveryMs: 50,
    });
  });
  /** The player rolls clinical back through the supervisor, which audits it as theirs. */
  const rollBackClinical = (at: Date) =>
    recordOnTimeline(
      control,
      {
        occurredAt: at,
        actorId: oncall.userId,
        actorRole: oncall.role,
        action: "supervisor.faults-clear",
        entityType: "LabProcess",
        entityId: "clinical",
        patientId: null,
        requestId: `req-rollback-${at.getTime()}`,
        traceId: null,
        outcome: "success",
        details: {},
      },
      { endAt: null, kind: "supervisor", title: "clinical: faults off", body: "{}", tags: "[]", drillRunId: null },
    );
  afterAll(async () => {
    await conductor?.close();
    await control?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("plays an exercise: its traffic and hidden fault, the player's acts, a hint, and a score from the audit and the SLIs", async () => {
    await expect(conductor.start(oncall, "clinic-morning", meta)).rejects.toMatchObject({ status: 403 });
    const run = await conductor.start(instructor, "clinic-morning", meta);
    expect(fake.traffic).toEqual([{ profile: "steady-demo", seed: 101, durationSeconds: 900 }]);
    await expect(conductor.start(instructor, "clinic-morning", meta)).rejects.toMatchObject({ status: 409, field: "exercise" });
    await new Promise((r) => setTimeout(r, 20)); // the fault is due at once
    expect(launched).toEqual([
      { drill: "service-latency", params: { service: "clinical", latency: { type: "fixed", ms: 900 } }, durationSeconds: 600, abortWhen: [] },
    ]);

    // While it runs the player sees the briefing and the clock, nothing of the fault.
    const view = conductor.current(oncall);
    expect(view).toMatchObject({ id: run.id, title: "Morning clinic", status: "running", debrief: null });
    expect(JSON.stringify(view)).not.toMatch(/service-latency|drl-test|latency/);

    await conductor.act(oncall, run.id, { type: "acknowledge" });
    await expect(conductor.act(oncall, run.id, { type: "acknowledge" })).rejects.toMatchObject({ status: 409 });
    await conductor.act(oncall, run.id, { type: "declare-incident", summary: "charting is slow" });
    await conductor.hint(instructor, run.id, "look at the clinical routes");
    await conductor.act(oncall, run.id, { type: "diagnose", entity: { kind: "service", service: "clinical" }, faultClass: "latency", notes: "" });
    const rollback = Date.now();
    await rollBackClinical(new Date(rollback));
    fake.fixAt(rollback);

    const ended = await conductor.end(instructor, run.id);
    expect(aborted).toEqual(["drl-test-1"]);
    expect(fake.traffic.at(-1)).toBeNull();
    expect(ended.status).toBe("ended");
    expect(ended.score).toMatchObject({
      points: 100 - 5, // one hint
      diagnosis: { entityRight: true, classRight: true },
      mitigation: { lever: { action: "roll-back-config", service: "clinical" }, withinSlo: true },
      hints: 1,
    });
    // Over, the player sees the truth and the score; acts are refused.
    expect(conductor.current(oncall).debrief).toMatchObject({ truth: { faultClass: "latency" }, score: { points: 95 } });
    await expect(conductor.act(oncall, run.id, { type: "resolve", notes: "" })).rejects.toMatchObject({ status: 409 });
  });

  it("keeps the review for the end, and writes it with the player's timeline beside the truth", async () => {
    const [last] = await conductor.list(instructor);
    const review = await conductor.review(oncall, last!.id);
    const markdown = exerciseReviewMarkdown(review);
    expect(markdown).toContain("## What was wrong\n\nthe clinical service, latency.");
    expect(markdown).toContain("**95 / 100.**");
    expect(markdown).toMatch(/\*\*usr-oncall\*\* diagnosis: the clinical service, latency/);
    expect(markdown).toMatch(/\*\*usr-instructor\*\* hint: look at the clinical routes/);
    // Recorded on the timeline: a new conductor reads the ended run back.
    const rows = await control.query<{ action: string; actorId: string }>(
      `SELECT "action", "actorId" FROM "audit_entries" WHERE "entityType" = 'ExerciseRun' ORDER BY "sequence"`,
    );
    expect(rows.map((r) => r.action)).toEqual(["exercise.start", "exercise.act", "exercise.act", "exercise.hint", "exercise.act", "exercise.end"]);
  });

  it("ends a resolved run at once when no accepted lever was pulled: nothing the SLIs show can change its score", async () => {
    fake.fixAt(Number.POSITIVE_INFINITY);
    const run = await conductor.start(instructor, "clinic-morning", meta);
    await conductor.act(oncall, run.id, { type: "diagnose", entity: { kind: "service", service: "billing" }, faultClass: "errors", notes: "" });
    await conductor.act(oncall, run.id, { type: "resolve", notes: "billing looked off" });
    await expect.poll(() => conductor.current(oncall).status, { timeout: 2000 }).toBe("ended");
    expect(conductor.current(oncall).debrief).toMatchObject({ score: { mitigation: { lever: null, withinSlo: false } } });
  });

  it("keeps a resolved run after an accepted lever until the faulty SLOs held their minutes, then ends it", async () => {
    fake.fixAt(Number.POSITIVE_INFINITY);
    const run = await conductor.start(instructor, "clinic-morning", meta);
    await rollBackClinical(new Date());
    await conductor.act(oncall, run.id, { type: "resolve", notes: "rolled clinical back" });
    await new Promise((r) => setTimeout(r, 300)); // several looks, the SLI still bad
    expect(conductor.current(oncall).status).toBe("resolving");
    fake.fixAt(Date.now() - 60_000);
    await expect.poll(() => conductor.current(oncall).status, { timeout: 2000 }).toBe("ended");
    expect(conductor.current(oncall).debrief).toMatchObject({ score: { mitigation: { withinSlo: true } } });
  });
});
