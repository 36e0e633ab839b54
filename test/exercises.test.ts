// An on-call exercise played on a running lab through its APIs: the instructor starts it, its hidden fault
// starts on its clock through the drill engine, the on-call player reads the briefing (and nothing of the
// fault), acknowledges, declares an incident, diagnoses and rolls clinical back with the on-call lever,
// and the score reads that lever back from the audit and the recovery from the SLIs minute by minute.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InstructorView, PlayerView } from "../lib/exercises/exercise-run.ts";
import type { SloHistory } from "../lib/slo/slo-history.ts";
import { type DrillLab, startDrillLab } from "./support/drill-lab.ts";
import { waitUntil } from "./support/wait-until.ts";

const EXERCISES_DIR = join(import.meta.dirname, "fixtures", "exercises");

describe("an exercise played on a running lab", () => {
  let t: DrillLab;
  let base: string;

  beforeAll(async () => {
    t = await startDrillLab("exercises", 26_000 + (process.pid % 1000) * 7, { LAB_EXERCISES_DIR: EXERCISES_DIR });
    base = `http://127.0.0.1:${t.ports.drills}/_lab/exercises`;
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
  });

  it("injects the hidden fault, takes the player's acts and lever, and scores them from the audit and the SLIs", async () => {
    const asPlayer = <T>(method: string, url: string, body?: unknown) => t.call<T>(method, url, body, t.tokens.oncall);
    expect((await asPlayer("POST", `${base}/runs`, { exercise: "quick-records" })).status).toBe(403);
    const started = await t.call<InstructorView>("POST", `${base}/runs`, { exercise: "quick-records" });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const id = started.body.id;
    expect((await t.call("GET", `http://127.0.0.1:${t.ports.simulator}/_lab/traffic`, undefined, t.tokens.sre)).body).toMatchObject({
      running: { profile: "steady-demo" },
    });

    await waitUntil(async () => (await t.call<InstructorView>("GET", `${base}/runs/${id}`)).body.faults[0]!.launchedAt !== null, 20_000);
    const briefing = await asPlayer<PlayerView>("GET", `${base}/current`);
    expect(briefing.body).toMatchObject({ id, title: "Quick records", status: "running", debrief: null });
    expect(JSON.stringify(briefing.body)).not.toMatch(/error-burst|drl-|clinical/);
    expect((await asPlayer("GET", `${base}/runs/${id}`)).status).toBe(403);
    expect((await asPlayer("GET", `${base}/runs/${id}/review`)).status).toBe(409);

    for (const act of [
      { type: "acknowledge" },
      { type: "declare-incident", summary: "patients cannot open their records" },
      { type: "diagnose", entity: { kind: "service", service: "clinical" }, faultClass: "errors", notes: "503s from clinical on GET /patients/:patientId" },
    ])
      expect((await asPlayer("POST", `${base}/runs/${id}/acts`, act)).status).toBe(201);
    await new Promise((r) => setTimeout(r, 5_000)); // the fault burns a while
    const rollback = await asPlayer<{ rules: unknown[] }>("DELETE", `http://127.0.0.1:${t.ports.supervisor}/_lab/faults/clinical`);
    expect(rollback.status).toBe(200);
    const leverAt = Date.now();

    // A whole minute of patients' reads after the lever, all good, then the instructor ends it.
    const history = () =>
      t.call<{ history: SloHistory }>(
        "GET",
        `http://127.0.0.1:${t.ports.gateway}/_lab/slos/patient-view-record-availability/history?minutes=10`,
        undefined,
        t.tokens.sre,
      );
    await waitUntil(
      async () => (await history()).body.history.points.some((p) => Date.parse(p.at) - 60_000 > leverAt && p.requests > 0 && p.bad === 0),
      200_000,
      "a good minute of patients' record reads after the rollback",
    );
    const ended = await t.call<InstructorView>("POST", `${base}/runs/${id}/end`);
    expect(ended.body).toMatchObject({
      status: "ended",
      score: {
        points: 100,
        acknowledged: { afterSeconds: expect.any(Number) },
        diagnosis: { entityRight: true, classRight: true },
        mitigation: { lever: { action: "roll-back-config", service: "clinical" }, withinSlo: true },
        wrongTargetActions: [],
        hints: 0,
      },
    });
    expect(ended.body.faults[0]).toMatchObject({ drill: "error-burst", drillRunId: expect.stringMatching(/^drl-/) });
    const debrief = await asPlayer<PlayerView>("GET", `${base}/current`);
    expect(debrief.body.debrief).toMatchObject({ truth: { faultClass: "errors" }, score: { points: 100 } });
    const review = await fetch(`${base}/runs/${id}/review?format=markdown`, { headers: { authorization: `Bearer ${t.tokens.oncall}` } });
    expect(await review.text()).toMatch(/\*\*100 \/ 100\.\*\* Right diagnosis; mitigated/);
  }, 300_000);
});
