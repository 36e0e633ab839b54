// Scenarios: an instructor's scripted sequence of drills with narration cues, as YAML in scenarios/.
// Each step happens a given number of seconds after the scenario starts: a cue (what to tell the class,
// what to look at) and optionally a drill launched as the drill engine's API would launch it. Every drill
// step is checked against the drill catalog when the file is read, so a scenario never fails half-way on a
// typo; problems are named `file:line field: message`.
import { z } from "zod";
import { labDocument, readLabDocuments, readYamlDirectory } from "../config/yaml-locations.ts";
import { drillOf } from "../drills/drill-catalog.ts";
import { DrillLaunch } from "../drills/drill-request.ts";

/** A scenario's drill: a launch without a schedule (the scenario's clock is its schedule). */
export const ScenarioDrill = DrillLaunch.omit({ schedule: true });
export type ScenarioDrill = z.infer<typeof ScenarioDrill>;

export const ScenarioStep = z.strictObject({
  afterSeconds: z.number().int().min(0).max(86_400),
  /** What the instructor says or points at when the step comes. */
  cue: z.string().min(1).max(1000),
  drill: ScenarioDrill.optional(),
});
export type ScenarioStep = z.infer<typeof ScenarioStep>;

export const ScenarioDocument = labDocument(
  "Scenario",
  { title: z.string().min(1).max(120), description: z.string().max(1000).default("") },
  z.strictObject({
    /** The SLOs the narrative reports on: budget spent over the scenario, alerts that fired. */
    watch: z.array(z.string().min(1).max(120)).min(1).max(20),
    steps: z
      .array(ScenarioStep)
      .min(1)
      .max(100)
      .refine((steps) => steps.every((s, i) => i === 0 || s.afterSeconds >= steps[i - 1]!.afterSeconds), {
        message: "steps must be in time order (afterSeconds never decreasing)",
      }),
    /** When the scenario is over, if its drills are over earlier (the narrative's window ends there). */
    durationSeconds: z.number().int().min(1).max(86_400),
  }),
);

export interface Scenario {
  name: string;
  title: string;
  description: string;
  watch: string[];
  steps: ScenarioStep[];
  durationSeconds: number;
}

export function loadScenarios(files: readonly { file: string; text: string }[], knownSlos: ReadonlySet<string>): Scenario[] {
  return readLabDocuments(files, ScenarioDocument, { plural: "scenarios", field: "scenario" }, ({ metadata, spec }, say) => {
    spec.watch.forEach((slo, i) => knownSlos.has(slo) || say(["spec", "watch", i], `no SLO named ${slo}`));
    spec.steps.forEach((step, i) => {
      if (!step.drill) return;
      const path = ["spec", "steps", i, "drill"];
      const drill = drillOf(step.drill.drill);
      if (!drill) return say([...path, "drill"], `no drill ${step.drill.drill} in the catalog`);
      const params = drill.params.safeParse(step.drill.params);
      if (!params.success) for (const issue of params.error.issues) say([...path, "params", ...issue.path], issue.message);
      step.drill.abortWhen.forEach((c, j) => knownSlos.has(c.slo) || say([...path, "abortWhen", j, "slo"], `no SLO named ${c.slo}`));
      if (step.afterSeconds + step.drill.durationSeconds > spec.durationSeconds)
        say([...path, "durationSeconds"], `the drill outlasts the scenario (${spec.durationSeconds} s)`);
    });
    return {
      name: metadata.name,
      title: metadata.title,
      description: metadata.description,
      watch: spec.watch,
      steps: spec.steps,
      durationSeconds: spec.durationSeconds,
    };
  });
}

export function loadScenarioDirectory(dir: string, knownSlos: ReadonlySet<string>, root = process.cwd()): Scenario[] {
  return loadScenarios(readYamlDirectory(dir, root), knownSlos);
}
