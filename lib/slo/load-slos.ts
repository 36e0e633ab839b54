// Reads OpenSLO v1 YAML files into the lab's SLO definitions. Every problem is reported with its file,
// line and field path (`slo/clinician.yaml:14 spec.objectives[0].target: must be below 1`), all of them at
// once, so a broken definition is fixed in one pass.
import { fieldPath, readYamlDirectory, yamlDocuments } from "../config/yaml-locations.ts";
import type { z } from "zod";
import { type BurnRateTier, TIER_NAMES, type TierName, durationMinutes, tiersFor } from "./burn-rate-tiers.ts";
import { type LabSource, ServiceDocument, SliDocument, SloDocument } from "./openslo-schema.ts";

export interface SloDefinition {
  name: string;
  displayName: string;
  description: string;
  /** The service the SLO belongs to; SLOs of one service roll up into its group. */
  service: string;
  journey: string;
  source: "server" | "client";
  sli: { kind: "availability" } | { kind: "latency"; thresholdMs: number };
  /** The objective as a ratio of good requests, e.g. 0.999. */
  target: number;
  windowMinutes: number;
  tiers: BurnRateTier[];
  /** Where it was defined, for messages. */
  file: string;
}

/** Annotation that turns tiers off for one SLO: a comma-separated list of tier names. */
export const DISABLED_TIERS_ANNOTATION = "pim-lab/disabled-tiers";

export class SloDefinitionError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid SLO definitions:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

type Parsed<T> = { value: T; at: (path: readonly PropertyKey[]) => string };

/** Loads every *.yaml / *.yml file in a directory. */
export function loadSloDirectory(dir: string, root = process.cwd()): SloDefinition[] {
  return loadSloFiles(readYamlDirectory(dir, root));
}

export function loadSloFiles(files: readonly { file: string; text: string }[]): SloDefinition[] {
  const problems: string[] = [];
  const slos: Parsed<z.infer<typeof SloDocument>>[] = [];
  const slis = new Map<string, Parsed<z.infer<typeof SliDocument>>>();
  for (const { raw: document, at } of yamlDocuments(files, problems)) {
    const raw = document as { kind?: unknown } | null;
    const schema = raw?.kind === "SLO" ? SloDocument : raw?.kind === "SLI" ? SliDocument : raw?.kind === "Service" ? ServiceDocument : null;
    if (!schema) {
      problems.push(`${at(["kind"])} kind: must be SLO, SLI or Service (got ${JSON.stringify(raw?.kind ?? null)})`);
      continue;
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${at(issue.path)} ${fieldPath(issue.path)}: ${issue.message}`);
      continue;
    }
    if (parsed.data.kind === "SLO") slos.push({ value: parsed.data, at });
    if (parsed.data.kind === "SLI") slis.set(parsed.data.metadata.name, { value: parsed.data, at });
  }
  const definitions: SloDefinition[] = [];
  const seen = new Map<string, string>();
  for (const { value: slo, at } of slos) {
    const name = slo.metadata.name;
    const where = at(["metadata", "name"]);
    if (seen.has(name)) problems.push(`${where} metadata.name: SLO ${name} is also defined at ${seen.get(name)}`);
    seen.set(name, where);
    const indicator = slo.spec.indicator ?? slis.get(slo.spec.indicatorRef!)?.value;
    if (!indicator) {
      problems.push(`${at(["spec", "indicatorRef"])} spec.indicatorRef: no SLI named ${slo.spec.indicatorRef}`);
      continue;
    }
    const sliAt = slo.spec.indicator ? (p: readonly PropertyKey[]) => at(["spec", "indicator", ...p]) : slis.get(slo.spec.indicatorRef!)!.at;
    const sliField = slo.spec.indicator ? "spec.indicator.spec.ratioMetric" : `SLI ${slo.spec.indicatorRef}: spec.ratioMetric`;
    const sli = sliOf(indicator.spec.ratioMetric, (problem, path) => problems.push(`${sliAt(["spec", "ratioMetric", ...path])} ${sliField}${path.length ? `.${path.join(".")}` : ""}: ${problem}`));
    const disabled = tierList(slo.metadata.annotations?.[DISABLED_TIERS_ANNOTATION], (problem) =>
      problems.push(`${at(["metadata", "annotations", DISABLED_TIERS_ANNOTATION])} metadata.annotations.${DISABLED_TIERS_ANNOTATION}: ${problem}`),
    );
    const objective = slo.spec.objectives[0]!;
    const target = objective.target ?? (objective.targetPercent === undefined ? undefined : objective.targetPercent / 100);
    if (target === undefined) problems.push(`${at(["spec", "objectives", 0])} spec.objectives[0]: give target (e.g. 0.999) or targetPercent (e.g. 99.9)`);
    if (!sli || target === undefined || !disabled) continue;
    const windowMinutes = durationMinutes(slo.spec.timeWindow[0]!.duration);
    definitions.push({
      name,
      displayName: slo.metadata.displayName ?? name,
      description: slo.spec.description ?? "",
      service: slo.spec.service,
      journey: sli.journey,
      source: sli.source,
      sli: sli.sli,
      target,
      windowMinutes,
      tiers: tiersFor(windowMinutes, disabled),
      file: where.replace(/:\d+$/, ""),
    });
  }
  if (problems.length > 0) throw new SloDefinitionError(problems);
  return definitions;
}

type RatioMetric = z.infer<typeof SliDocument>["spec"]["ratioMetric"];

/** What a ratio metric counts: one journey, one side, and which requests are good. */
function sliOf(ratio: RatioMetric, problem: (message: string, path: string[]) => void): { journey: string; source: LabSource["source"]; sli: SloDefinition["sli"] } | null {
  const total = ratio.total.metricSource.spec;
  const goodOrBad = (ratio.good ?? ratio.bad)!.metricSource.spec;
  const side = ratio.good ? "good" : "bad";
  if (goodOrBad.journey !== total.journey || goodOrBad.source !== total.source) {
    problem(`must count the same journey and source as total (${total.journey}, ${total.source})`, [side, "metricSource", "spec"]);
    return null;
  }
  if (total.outcome !== undefined || total.latencyBelowMs !== undefined) {
    problem("total counts every request of the journey: drop outcome and latencyBelowMs", ["total", "metricSource", "spec"]);
    return null;
  }
  if ((goodOrBad.outcome === undefined) === (goodOrBad.latencyBelowMs === undefined)) {
    problem("give exactly one of outcome: success (availability) and latencyBelowMs (latency)", [side, "metricSource", "spec"]);
    return null;
  }
  if (side === "bad") {
    problem("the lab counts good requests: use good with outcome or latencyBelowMs", ["bad"]);
    return null;
  }
  return {
    journey: total.journey,
    source: total.source,
    sli: goodOrBad.latencyBelowMs !== undefined ? { kind: "latency", thresholdMs: goodOrBad.latencyBelowMs } : { kind: "availability" },
  };
}

function tierList(value: string | undefined, problem: (message: string) => void): TierName[] | null {
  if (value === undefined || value.trim() === "") return [];
  const names = value.split(",").map((s) => s.trim());
  const unknown = names.filter((n) => !(TIER_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    problem(`unknown tier ${unknown.join(", ")} (tiers: ${TIER_NAMES.join(", ")})`);
    return null;
  }
  return names as TierName[];
}
