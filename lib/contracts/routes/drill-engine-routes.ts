// The drill engine's routes (:4105): the drill catalog and guardrails, dry runs, launches, runs, abort and
// the emergency stop; beside them the scenario conductor's scripts, runs and narratives.
import { z } from "zod";
import type { DrillEngine } from "../../drills/drill-engine.ts";
import { DrillLaunch } from "../../drills/drill-request.ts";
import type { DrillRun } from "../../drills/drill-runs.ts";
import type { Narrative } from "../../scenarios/narrative.ts";
import type { ScenarioConductor } from "../../scenarios/scenario-conductor.ts";
import type { ScenarioRun } from "../../scenarios/scenario-run.ts";
import { route, servedBy } from "../lab-route.ts";

export const DrillRunId = z.string().regex(/^drl-[a-z0-9-]{1,60}$/, "must be a drill run id (drl-...)");
export const ScenarioRunId = z.string().regex(/^scn-[a-z0-9-]{1,60}$/, "must be a scenario run id (scn-...)");
const DrillRunParams = z.strictObject({ runId: DrillRunId });
const ScenarioRunParams = z.strictObject({ runId: ScenarioRunId });
const StartScenario = z.strictObject({
  scenario: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be a scenario's name (GET /_lab/scenarios/catalog lists them)"),
});
const NarrativeQuery = z.strictObject({ format: z.enum(["json", "markdown"]).default("json") });

export type DrillCatalog = { drills: ReturnType<DrillEngine["catalog"]>; guardrails: ReturnType<DrillEngine["guardrails"]> };
export type DryRun = Awaited<ReturnType<DrillEngine["dryRun"]>>;
export type ScenarioCatalog = { scenarios: ReturnType<ScenarioConductor["catalog"]> };

export const DRILL_ENGINE_ROUTES = servedBy("drill-engine", {
  drillCatalog: route<DrillCatalog>()({
    at: "GET /_lab/drills/catalog",
    action: "controls.read",
    summary: "The drills, their parameters and the guardrails",
  }),
  dryRun: route<DryRun>()({
    at: "POST /_lab/drills/dry-run",
    action: "drill.run",
    domainBody: DrillLaunch,
    summary: "What a launch would do: targets, deadlines, guardrail checks",
  }),
  launchDrill: route<DrillRun>()({
    at: "POST /_lab/drills/runs",
    action: "drill.run",
    domainBody: DrillLaunch,
    status: 201,
    summary: "Launch a drill now or on a schedule",
  }),
  drillRuns: route<{ runs: DrillRun[] }>()({
    at: "GET /_lab/drills/runs",
    action: "controls.read",
    summary: "Live and recent drill runs",
  }),
  drillRun: route<DrillRun>()({
    at: "GET /_lab/drills/runs/:runId",
    action: "controls.read",
    params: DrillRunParams,
    summary: "One drill run with its steps",
  }),
  abortDrill: route<DrillRun>()({
    at: "POST /_lab/drills/runs/:runId/abort",
    action: "drill.run",
    params: DrillRunParams,
    summary: "Abort a run, cancel a scheduled one, roll back a kept change",
  }),
  drillEmergencyStop: route<{ ended: string[] }>()({
    at: "POST /_lab/drills/emergency-stop",
    action: "drill.run",
    summary: "End every drill and revert every lease",
  }),
  scenarioCatalog: route<ScenarioCatalog>()({
    at: "GET /_lab/scenarios/catalog",
    action: "controls.read",
    summary: "The scenario scripts",
  }),
  startScenario: route<ScenarioRun>()({
    at: "POST /_lab/scenarios/runs",
    action: "drill.run",
    body: StartScenario,
    status: 201,
    summary: "Start a scenario",
  }),
  scenarioRuns: route<{ runs: ScenarioRun[] }>()({
    at: "GET /_lab/scenarios/runs",
    action: "controls.read",
    summary: "Live and recent scenario runs",
  }),
  scenarioRun: route<ScenarioRun>()({
    at: "GET /_lab/scenarios/runs/:runId",
    action: "controls.read",
    params: ScenarioRunParams,
    summary: "One scenario run",
  }),
  stopScenario: route<ScenarioRun>()({
    at: "POST /_lab/scenarios/runs/:runId/stop",
    action: "drill.run",
    params: ScenarioRunParams,
    summary: "Stop a scenario and its drills",
  }),
  scenarioNarrative: route<Narrative>()({
    at: "GET /_lab/scenarios/runs/:runId/narrative",
    action: "controls.read",
    params: ScenarioRunParams,
    query: NarrativeQuery,
    summary: "A run's narrative (JSON, or ?format=markdown for a post-incident review)",
  }),
});
