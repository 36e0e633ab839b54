import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LabError } from "../errors/index.ts";
import { loadSloDirectory, loadSloFiles } from "./load-slos.ts";

const root = join(import.meta.dirname, "../..");

/** An SLI's ratio of a journey's server-side requests, good when `good` holds, each line indented by `indent`. */
const ratioMetric = (indent: string, journey: string, good: string) =>
  `ratioMetric:
  counter: true
  good:
    metricSource:
      type: pim-lab
      spec: { journey: ${journey}, source: server, ${good} }
  total:
    metricSource:
      type: pim-lab
      spec: { journey: ${journey}, source: server }
`.replace(/^(?=.)/gm, indent);

const slo = (overrides: { name?: string; target?: string; good?: string; window?: string; extra?: string } = {}) => `apiVersion: openslo/v1
kind: SLO
metadata:
  name: ${overrides.name ?? "clinician-prescribe-availability"}
${overrides.extra ?? ""}spec:
  service: clinical
  budgetingMethod: Occurrences
  timeWindow:
    - duration: ${overrides.window ?? "30d"}
      isRolling: true
  indicator:
    metadata:
      name: prescribe-errors
    spec:
${ratioMetric("      ", "clinician/prescribe", overrides.good ?? "outcome: success")}  objectives:
    - target: ${overrides.target ?? "0.999"}
`;

const sli = (name: string, journey = "clinician/prescribe") => `apiVersion: openslo/v1
kind: SLI
metadata:
  name: ${name}
spec:
${ratioMetric("  ", journey, "outcome: success")}`;

/** The SLO of slo() bound to an SLI document instead of an inline indicator. */
const sloReferencing = (indicatorRef: string) => slo().replace(/ {2}indicator:\n(?: {4}.*\n)+/, `  indicatorRef: ${indicatorRef}\n`);

function problemsOf(text: string | { file: string; text: string }[]): string[] {
  try {
    loadSloFiles(typeof text === "string" ? [{ file: "slo/test.yaml", text }] : text);
  } catch (err) {
    if (err instanceof LabError) return [...err.problems];
    throw err;
  }
  return [];
}

describe("loading OpenSLO definitions", () => {
  it("reads every SLO of the lab's slo/ directory, each persona's journeys covered", () => {
    const slos = loadSloDirectory(join(root, "slo"), root);
    expect(slos.length).toBeGreaterThanOrEqual(20);
    for (const persona of ["patient", "clinician", "billing", "sre"]) {
      const kinds = new Set(slos.filter((s) => s.journey.startsWith(`${persona}/`)).map((s) => s.sli.kind));
      expect([persona, [...kinds].sort()]).toEqual([persona, ["availability", "latency"]]);
    }
    expect(slos.some((s) => s.source === "client")).toBe(true);
  });

  it("turns an availability and a latency indicator into the lab's SLI kinds", () => {
    const [availability] = loadSloFiles([{ file: "a.yaml", text: slo() }]);
    expect(availability).toMatchObject({
      journey: "clinician/prescribe",
      source: "server",
      sli: { kind: "availability" },
      target: 0.999,
      windowMinutes: 43200,
    });
    const [latency] = loadSloFiles([{ file: "b.yaml", text: slo({ good: "latencyBelowMs: 500", target: "0.99" }) }]);
    expect(latency!.sli).toEqual({ kind: "latency", thresholdMs: 500 });
  });

  it("names file, line and field of a bad target", () => {
    expect(problemsOf(slo({ target: "99.9" }))).toEqual(["slo/test.yaml:26 spec.objectives[0].target: must be below 1 (e.g. 0.999)"]);
  });

  it("names a latency threshold that is not a histogram bound, with the bounds it may be", () => {
    const [problem] = problemsOf(slo({ good: "latencyBelowMs: 300" }));
    expect(problem).toMatch(
      /^slo\/test\.yaml:20 spec\.indicator\.spec\.ratioMetric\.good\.metricSource\.spec\.latencyBelowMs: must be one of the SLI histogram bounds: 25, 50, .* ms$/,
    );
  });

  it("refuses calendar windows, unknown journeys and unknown tiers, all reported at once", () => {
    const problems = problemsOf(
      slo({ window: "1M", extra: "  annotations:\n    pim-lab/disabled-tiers: page-fast, page-sideways\n" }).replace(
        "journey: clinician/prescribe, source: server }",
        "journey: clinician/dance, source: server }",
      ),
    );
    expect(problems.some((p) => /^slo\/test\.yaml:11 spec\.timeWindow\[0\]\.duration: must be a whole number of m, h, d or w/.test(p))).toBe(true);
    expect(
      problems.some((p) => /spec\.indicator\.spec\.ratioMetric\.total\.metricSource\.spec\.journey: must be a journey of lib\/slo\/journeys\.ts/.test(p)),
    ).toBe(true);
    expect(problems).toHaveLength(2); // the tier annotation is checked once the document parses
    expect(problemsOf(slo({ extra: "  annotations:\n    pim-lab/disabled-tiers: page-fast, page-sideways\n" }))).toEqual([
      "slo/test.yaml:6 metadata.annotations.pim-lab/disabled-tiers: unknown tier page-sideways (tiers: page-fast, page-slow, ticket-fast, ticket-slow)",
    ]);
  });

  it("refuses two SLOs of one name, and an indicatorRef to no SLI", () => {
    expect(problemsOf(`${slo()}---\n${slo()}`)).toEqual([
      expect.stringMatching(/^slo\/test\.yaml:\d+ metadata\.name: SLO clinician-prescribe-availability is also defined at slo\/test\.yaml:4$/),
    ]);
    expect(problemsOf(sloReferencing("nowhere"))).toEqual([expect.stringMatching(/spec\.indicatorRef: no SLI named nowhere$/)]);
  });

  it("refuses two SLIs of one name, in one file and across files, naming both places", () => {
    expect(
      problemsOf(`${sli("prescribe-counters")}---\n${sli("prescribe-counters", "clinician/find-patient")}---\n${sloReferencing("prescribe-counters")}`),
    ).toEqual(["slo/test.yaml:20 metadata.name: SLI prescribe-counters is also defined at slo/test.yaml:4"]);
    const files = [
      { file: "slo/a.yaml", text: `${sli("prescribe-counters")}---\n${sloReferencing("prescribe-counters")}` },
      { file: "slo/b.yaml", text: sli("prescribe-counters", "clinician/find-patient") },
    ];
    expect(problemsOf(files)).toEqual(["slo/b.yaml:4 metadata.name: SLI prescribe-counters is also defined at slo/a.yaml:4"]);
    expect(loadSloFiles(files.slice(0, 1))[0]!.journey).toBe("clinician/prescribe");
  });

  it("refuses a target and a targetPercent that disagree, and accepts both when they agree", () => {
    expect(problemsOf(slo({ target: "0.999\n      targetPercent: 99" }))).toEqual([
      "slo/test.yaml:27 spec.objectives[0].targetPercent: 99 disagrees with target 0.999 (99.9 %): give one of them",
    ]);
    expect(loadSloFiles([{ file: "a.yaml", text: slo({ target: "0.999\n      targetPercent: 99.9" }) }])[0]!.target).toBe(0.999);
  });

  it("refuses a time window shorter than the long window of an enabled tier, saying which tiers to disable", () => {
    expect(problemsOf(slo({ window: "2d" }))).toEqual([
      "slo/test.yaml:9 spec.timeWindow[0].duration: 2d is shorter than the long window of its tier ticket-slow (3d): give a window of at least 3d, or disable that tier with the annotation pim-lab/disabled-tiers: ticket-slow",
    ]);
    expect(problemsOf(slo({ window: "5m", extra: "  annotations:\n    pim-lab/disabled-tiers: page-slow\n" }))).toEqual([
      "slo/test.yaml:11 spec.timeWindow[0].duration: 5m is shorter than the long window of its tiers page-fast (1h), ticket-fast (1d), ticket-slow (3d): give a window of at least 3d, or disable those tiers with the annotation pim-lab/disabled-tiers: page-fast, page-slow, ticket-fast, ticket-slow",
    ]);
    const [short] = loadSloFiles([{ file: "a.yaml", text: slo({ window: "2d", extra: "  annotations:\n    pim-lab/disabled-tiers: ticket-slow\n" }) }]);
    expect(short!.tiers.map((t) => t.name)).toEqual(["page-fast", "page-slow", "ticket-fast"]);
  });

  it("refuses fields the lab does not read, naming each key, and why for OpenSLO fields it leaves out", () => {
    const text = slo({ target: "0.999\n      targetPercnt: 99.9\n      op: lte", extra: "  team: identity\n" }).replace(
      "  objectives:\n",
      "  alertPolicies:\n    - alertPolicyRef: page-on-call\n  objectives:\n",
    );
    expect(problemsOf(text)).toEqual([
      "slo/test.yaml:5 metadata.team: the lab does not read team: it is no OpenSLO v1 field here (lib/slo/openslo-schema.ts lists the fields the lab reads)",
      "slo/test.yaml:31 spec.objectives[0].op: the lab does not read op: op and value compare a threshold metric, and the lab's SLIs are ratios; give target (e.g. 0.999) or targetPercent (e.g. 99.9)",
      "slo/test.yaml:30 spec.objectives[0].targetPercnt: the lab does not read targetPercnt: it is no OpenSLO v1 field here (lib/slo/openslo-schema.ts lists the fields the lab reads)",
      // The key's own line, though its value is a block below it.
      "slo/test.yaml:26 spec.alertPolicies: the lab does not read alertPolicies: the lab's alerts are the burn-rate tiers it generates for every SLO (lib/slo/burn-rate-tiers.ts); drop alertPolicies, and turn a tier off with the annotation pim-lab/disabled-tiers",
    ]);
    expect(problemsOf(sli("prescribe-counters").replace("    counter: true\n", "    counter: true\n    rawType: success\n"))).toEqual([
      "slo/test.yaml:8 spec.ratioMetric.rawType: the lab does not read rawType: the lab divides its own good and total counters, it reads no precomputed ratio; give good and total",
    ]);
  });

  it("reports YAML syntax errors with their line", () => {
    expect(problemsOf("apiVersion: openslo/v1\nkind: SLO\nmetadata: [unclosed\n")[0]).toMatch(/^slo\/test\.yaml:\d+ /);
  });
});
