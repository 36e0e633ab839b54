// Scenarios on a running lab (the real drill engine, supervisor, services and gateway): a script plays its
// cues and launches its drills on its clock, as the instructor who started it and under one request id;
// its narrative tells the whole story and renders as a post-incident review; a stop aborts its drills.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueLabToken } from "../lib/auth/tokens.ts";
import type { Narrative } from "../lib/scenarios/narrative.ts";
import type { ScenarioRun } from "../lib/scenarios/scenario-run.ts";
import { type DrillLab, startDrillLab } from "./support/drill-lab.ts";
import { waitUntil } from "./support/wait-until.ts";

// The two scripts it plays (a quick one that ends, a long one it stops), as an instructor writes them.
const SCENARIOS_DIR = join(import.meta.dirname, "fixtures", "scenarios");

describe("scenarios on a running lab", () => {
  let t: DrillLab;
  let base: string;

  beforeAll(async () => {
    t = await startDrillLab("scenarios", 20_000 + (process.pid % 1000) * 7, { LAB_SCENARIOS_DIR: SCENARIOS_DIR });
    base = `http://127.0.0.1:${t.ports.drills}/_lab/scenarios`;
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
  });

  it("plays the script on its clock, launches its drill as the instructor under its request id, and narrates it all", async () => {
    const catalog = await t.call<{ scenarios: { name: string }[] }>("GET", `${base}/catalog`, undefined, t.tokens.sre);
    expect(catalog.body.scenarios.map((s) => s.name)).toEqual(["quick", "long"]);

    const started = await t.call<ScenarioRun>("POST", `${base}/runs`, { scenario: "quick" });
    expect(started.status).toBe(201);
    const id = started.body.id;
    expect(started.body).toMatchObject({
      status: "running",
      startedBy: "usr-scenarios-instructor",
      budgetsAtStart: { "patient-view-record-availability": expect.any(Number) },
    });
    expect((await t.call("POST", `${base}/runs`, { scenario: "quick" })).status).toBe(409);

    await waitUntil(async () => (await t.call<ScenarioRun>("GET", `${base}/runs/${id}`)).body.steps[1]!.drillRunId !== null, 10_000, "the drill step");
    const drillRunId = (await t.call<ScenarioRun>("GET", `${base}/runs/${id}`)).body.steps[1]!.drillRunId!;
    const drill = await t.runOf(drillRunId);
    expect(drill.status).toBe("running");
    expect(await t.faultsOf("clinical")).toHaveLength(1);

    await waitUntil(async () => (await t.call<ScenarioRun>("GET", `${base}/runs/${id}`)).body.status === "completed", 20_000, "the scenario's end");
    expect(await t.faultsOf("clinical")).toEqual([]);

    const narrative = (await t.call<Narrative>("GET", `${base}/runs/${id}/narrative`, undefined, t.tokens.sre)).body;
    const told = narrative.entries.map((e) => `${e.kind}: ${e.text}`);
    expect(told[0]).toBe("scenario: scenario Quick errors started by usr-scenarios-instructor");
    expect(told).toContainEqual(`cue: cue 2: Clinical fails half its requests; drill error-burst launched as ${drillRunId}`);
    expect(told).toContainEqual("drill: Error burst started by usr-scenarios-instructor");
    expect(told.at(-1)).toBe("scenario: scenario Quick errors completed");
    expect(narrative.drills).toEqual([expect.objectContaining({ id: drillRunId, status: "completed", requestId: started.body.requestId })]);
    expect(narrative.budgets).toEqual([expect.objectContaining({ slo: "patient-view-record-availability", spentPercent: expect.any(Number) })]);

    const markdown = await fetch(`${base}/runs/${id}/narrative?format=markdown`, { headers: { authorization: `Bearer ${t.tokens.sre}` } });
    expect(markdown.headers.get("content-type")).toMatch(/^text\/markdown/);
    expect(await markdown.text()).toMatch(/^# Post-incident review: Quick errors\n[\s\S]*\| Error burst \| `drl-/);

    // One request id ties the scenario and its drill together in the control database's audit chain.
    const audited = await t.dbs.control.prisma.auditEntry.findMany({ where: { requestId: started.body.requestId }, orderBy: { sequence: "asc" } });
    expect(audited.map((a) => a.action)).toEqual(
      expect.arrayContaining(["scenario.start", "scenario.cue", "drill.start", "drill.apply", "drill.complete", "scenario.end"]),
    );
  }, 60_000);

  it("stops a scenario with its drills aborted, and refuses what callers may not do or send", async () => {
    const started = await t.call<ScenarioRun>("POST", `${base}/runs`, { scenario: "long" });
    expect(started.status).toBe(201);
    await waitUntil(async () => (await t.faultsOf("clinical")).length === 1, 10_000, "the long scenario's drill");
    const stopped = await t.call<ScenarioRun>("POST", `${base}/runs/${started.body.id}/stop`, undefined, t.tokens.sre);
    expect(stopped.body).toMatchObject({ status: "stopped", endReason: "stopped by usr-scenarios-sre" });
    expect(await t.faultsOf("clinical")).toEqual([]);
    expect((await t.runOf(stopped.body.steps[0]!.drillRunId!)).status).toBe("aborted");
    expect((await t.call("POST", `${base}/runs/${started.body.id}/stop`)).status).toBe(409);

    const patient = await issueLabToken(t.key, { userId: "usr-p", role: "patient", facilityId: null, patientId: "pat-1" });
    expect((await t.call("POST", `${base}/runs`, { scenario: "quick" }, patient)).status).toBe(403);
    expect((await t.call("GET", `${base}/runs`, undefined, patient)).status).toBe(403);
    const bad = await t.call<{ field: string }>("POST", `${base}/runs`, { scenario: "Quick!" });
    expect(bad).toMatchObject({ status: 400, body: { field: "scenario" } });
    const unknown = await t.call<{ field: string; detail: string }>("POST", `${base}/runs`, { scenario: "nope" });
    expect(unknown).toMatchObject({ status: 404, body: { field: "scenario" } });
    expect((await t.call("GET", `${base}/runs/scn-nothing`)).status).toBe(404);

    const runs = (await t.call<{ runs: ScenarioRun[] }>("GET", `${base}/runs`)).body.runs;
    expect(runs.map((r) => [r.scenario, r.status])).toEqual([
      ["long", "stopped"],
      ["quick", "completed"],
    ]);
  }, 60_000);
});
