import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SloDefinitionError, loadSloDirectory, loadSloFiles } from "./load-slos.ts";

const root = join(import.meta.dirname, "../..");

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
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: pim-lab
            spec: { journey: clinician/prescribe, source: server, ${overrides.good ?? "outcome: success"} }
        total:
          metricSource:
            type: pim-lab
            spec: { journey: clinician/prescribe, source: server }
  objectives:
    - target: ${overrides.target ?? "0.999"}
`;

function problemsOf(text: string): string[] {
  try {
    loadSloFiles([{ file: "slo/test.yaml", text }]);
  } catch (err) {
    if (err instanceof SloDefinitionError) return err.problems;
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
    expect(availability).toMatchObject({ journey: "clinician/prescribe", source: "server", sli: { kind: "availability" }, target: 0.999, windowMinutes: 43200 });
    const [latency] = loadSloFiles([{ file: "b.yaml", text: slo({ good: "latencyBelowMs: 500", target: "0.99" }) }]);
    expect(latency!.sli).toEqual({ kind: "latency", thresholdMs: 500 });
  });

  it("names file, line and field of a bad target", () => {
    expect(problemsOf(slo({ target: "99.9" }))).toEqual(["slo/test.yaml:26 spec.objectives[0].target: must be below 1 (e.g. 0.999)"]);
  });

  it("names a latency threshold that is not a histogram bound, with the bounds it may be", () => {
    const [problem] = problemsOf(slo({ good: "latencyBelowMs: 300" }));
    expect(problem).toMatch(/^slo\/test\.yaml:20 spec\.indicator\.spec\.ratioMetric\.good\.metricSource\.spec\.latencyBelowMs: must be one of the SLI histogram bounds: 25, 50, .* ms$/);
  });

  it("refuses calendar windows, unknown journeys and unknown tiers, all reported at once", () => {
    const problems = problemsOf(
      slo({ window: "1M", extra: "  annotations:\n    pim-lab/disabled-tiers: page-fast, page-sideways\n" }).replace("journey: clinician/prescribe, source: server }", "journey: clinician/dance, source: server }"),
    );
    expect(problems.some((p) => /^slo\/test\.yaml:11 spec\.timeWindow\[0\]\.duration: must be a whole number of m, h, d or w/.test(p))).toBe(true);
    expect(problems.some((p) => /spec\.indicator\.spec\.ratioMetric\.total\.metricSource\.spec\.journey: must be a journey of lib\/slo\/journeys\.ts/.test(p))).toBe(true);
    expect(problems).toHaveLength(2); // the tier annotation is checked once the document parses
    expect(problemsOf(slo({ extra: "  annotations:\n    pim-lab/disabled-tiers: page-fast, page-sideways\n" }))).toEqual([
      "slo/test.yaml:6 metadata.annotations.pim-lab/disabled-tiers: unknown tier page-sideways (tiers: page-fast, page-slow, ticket-fast, ticket-slow)",
    ]);
  });

  it("refuses two SLOs of one name, and an indicatorRef to no SLI", () => {
    expect(problemsOf(`${slo()}---\n${slo()}`)).toEqual([expect.stringMatching(/^slo\/test\.yaml:\d+ metadata\.name: SLO clinician-prescribe-availability is also defined at slo\/test\.yaml:4$/)]);
    const referenced = slo().replace(/ {2}indicator:\n(?: {4}.*\n)+/, "  indicatorRef: nowhere\n");
    expect(problemsOf(referenced)).toEqual([expect.stringMatching(/spec\.indicatorRef: no SLI named nowhere$/)]);
  });

  it("reports YAML syntax errors with their line", () => {
    expect(problemsOf("apiVersion: openslo/v1\nkind: SLO\nmetadata: [unclosed\n")[0]).toMatch(/^slo\/test\.yaml:\d+ /);
  });
});
