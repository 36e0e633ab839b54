// Reads OpenSLO v1 YAML files into the lab's SLO definitions. Every problem is reported with its file,
// line and field path (`slo/clinician.yaml:14 spec.objectives[0].target: must be below 1`), all of them at
// once, so a broken definition is fixed in one pass.
import { fieldPath, readYamlDirectory, yamlDocuments } from "../config/yaml-locations.ts";
import type { z } from "zod";
import { LabError, listedProblems } from "../errors/index.ts";
import { type BurnRateTier, TIER_NAMES, type TierName, durationMinutes, promDuration, tiersFor } from "./burn-rate-tiers.ts";
import { noDataSides } from "./no-data.ts";
import { DISABLED_TIERS_ANNOTATION, type LabSource, ServiceDocument, SliDocument, SloDocument } from "./openslo-schema.ts";

export { DISABLED_TIERS_ANNOTATION };

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
  /** The other side of the journey when an SLO counts it there too: this SLO's silence is judged against it (no-data). */
  noDataAgainst: "server" | "client" | null;
  /** Where it was defined, for messages. */
  file: string;
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
      for (const issue of parsed.error.issues) {
        if (issue.code !== "unrecognized_keys") problems.push(`${at(issue.path)} ${fieldPath(issue.path)}: ${issue.message}`);
        // zod names the object; the key's own path puts the line on the key.
        else for (const key of issue.keys) problems.push(`${at([...issue.path, key])} ${fieldPath([...issue.path, key])}: ${unknownField(key)}`);
      }
      continue;
    }
    if (parsed.data.kind === "SLO") slos.push({ value: parsed.data, at });
    if (parsed.data.kind === "SLI") {
      // The first definition stays, so SLOs that name it are checked against one indicator, not a cascade.
      const name = parsed.data.metadata.name;
      const first = slis.get(name);
      if (first) problems.push(`${at(["metadata", "name"])} metadata.name: SLI ${name} is also defined at ${first.at(["metadata", "name"])}`);
      else slis.set(name, { value: parsed.data, at });
    }
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
    const sli = sliOf(indicator.spec.ratioMetric, (problem, path) =>
      problems.push(`${sliAt(["spec", "ratioMetric", ...path])} ${sliField}${path.length ? `.${path.join(".")}` : ""}: ${problem}`),
    );
    const disabled = tierList(slo.metadata.annotations?.[DISABLED_TIERS_ANNOTATION], (problem) =>
      problems.push(`${at(["metadata", "annotations", DISABLED_TIERS_ANNOTATION])} metadata.annotations.${DISABLED_TIERS_ANNOTATION}: ${problem}`),
    );
    const objective = slo.spec.objectives[0]!;
    const target = objective.target ?? (objective.targetPercent === undefined ? undefined : objective.targetPercent / 100);
    if (target === undefined) problems.push(`${at(["spec", "objectives", 0])} spec.objectives[0]: give target (e.g. 0.999) or targetPercent (e.g. 99.9)`);
    const disagreement = targetDisagreement(objective);
    if (disagreement) problems.push(`${at(["spec", "objectives", 0, "targetPercent"])} spec.objectives[0].targetPercent: ${disagreement}`);
    const duration = slo.spec.timeWindow[0]!.duration;
    const windowMinutes = durationMinutes(duration);
    const outlasting = disabled && windowOutlasted(duration, windowMinutes, disabled);
    if (outlasting) problems.push(`${at(["spec", "timeWindow", 0, "duration"])} spec.timeWindow[0].duration: ${outlasting}`);
    if (!sli || target === undefined || !disabled || disagreement || outlasting) continue;
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
      noDataAgainst: null,
      file: where.replace(/:\d+$/, ""),
    });
  }
  if (problems.length > 0) throw new LabError("invalid", listedProblems("invalid SLO definitions", problems), { problems, field: "slo" });
  const sides = noDataSides(definitions);
  return definitions.map((d, i) => ({ ...d, noDataAgainst: sides[i]! }));
}

/** An unknown field is refused, never dropped: the lab might otherwise ignore what its author meant. */
function unknownField(key: string): string {
  return `the lab does not read ${key}: it is no OpenSLO v1 field here (lib/slo/openslo-schema.ts lists the fields the lab reads)`;
}

/** Both target and targetPercent may be given, but only if they say the same (within float noise: 0.999 * 100 is not 99.9). */
function targetDisagreement({ target, targetPercent }: { target?: number; targetPercent?: number }): string | null {
  if (target === undefined || targetPercent === undefined || Math.abs(target * 100 - targetPercent) <= 1e-9) return null;
  return `${targetPercent} disagrees with target ${target} (${Number((target * 100).toPrecision(12))} %): give one of them`;
}

/** A tier judges the burn over its long window, so that window must fit in the SLO's: a 5-minute SLO cannot judge three days. */
function windowOutlasted(duration: string, windowMinutes: number, disabled: readonly TierName[]): string | null {
  const outlasting = tiersFor(windowMinutes, disabled).filter((t) => t.longMinutes > windowMinutes);
  if (outlasting.length === 0) return null;
  const [tiers, them] = outlasting.length === 1 ? ["tier", "that tier"] : ["tiers", "those tiers"];
  const off = TIER_NAMES.filter((n) => disabled.includes(n) || outlasting.some((t) => t.name === n));
  return (
    `${duration} is shorter than the long window of its ${tiers} ${outlasting.map((t) => `${t.name} (${promDuration(t.longMinutes)})`).join(", ")}: ` +
    `give a window of at least ${promDuration(Math.max(...outlasting.map((t) => t.longMinutes)))}, or disable ${them} with the annotation ${DISABLED_TIERS_ANNOTATION}: ${off.join(", ")}`
  );
}

type RatioMetric = z.infer<typeof SliDocument>["spec"]["ratioMetric"];

/** What a ratio metric counts: one journey, one side, and which requests are good. */
function sliOf(
  ratio: RatioMetric,
  problem: (message: string, path: string[]) => void,
): { journey: string; source: LabSource["source"]; sli: SloDefinition["sli"] } | null {
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
