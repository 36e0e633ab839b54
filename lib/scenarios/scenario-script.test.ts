import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSloDirectory } from "../slo/load-slos.ts";
import { loadScenarioDirectory, loadScenarios } from "./scenario-script.ts";

const root = join(import.meta.dirname, "..", "..");
const knownSlos = new Set(loadSloDirectory(join(root, "slo"), root).map((s) => s.name));

const scenario = (steps: string, extra = "") => `apiVersion: pim-lab/v1
kind: Scenario
metadata: { name: short, title: Short }
spec:
  watch: [clinician-record-diagnosis-latency]
  durationSeconds: 60${extra}
  steps:
${steps}`;

describe("scenario scripts", () => {
  it("loads every scenario the lab ships, its drills checked against the catalog", () => {
    const scenarios = loadScenarioDirectory(join(root, "scenarios"), knownSlos, root);
    expect(scenarios.map((s) => s.name)).toContain("clinician-latency");
    const latency = scenarios.find((s) => s.name === "clinician-latency")!;
    expect(latency.steps.find((s) => s.drill)?.drill).toMatchObject({
      drill: "service-latency",
      abortWhen: [{ slo: "clinician-record-diagnosis-latency", alertFiring: "page-fast" }],
    });
  });

  it("names the file, line and field of a drill's bad params, an unknown drill and an unknown SLO", () => {
    const text = scenario(`    - afterSeconds: 0
      cue: go
      drill: { drill: service-latency, params: { service: radiology }, durationSeconds: 30 }
    - afterSeconds: 5
      cue: again
      drill: { drill: meteor-strike, durationSeconds: 30 }
    - afterSeconds: 6
      cue: guarded
      drill: { drill: error-burst, params: { service: billing }, durationSeconds: 30, abortWhen: [{ slo: nope, budgetBelow: 0.5 }] }
`);
    expect(() => loadScenarios([{ file: "scenarios/short.yaml", text }], knownSlos)).toThrowError(
      /scenarios\/short\.yaml:10 spec\.steps\[0\]\.drill\.params\.service: [^\n]+\nscenarios\/short\.yaml:13 spec\.steps\[1\]\.drill\.drill: no drill meteor-strike in the catalog\nscenarios\/short\.yaml:16 spec\.steps\[2\]\.drill\.abortWhen\[0\]\.slo: no SLO named nope/,
    );
  });

  it("refuses steps out of time order and a drill that outlasts the scenario", () => {
    const outOfOrder = scenario(`    - { afterSeconds: 10, cue: later }
    - { afterSeconds: 5, cue: earlier }
`);
    expect(() => loadScenarios([{ file: "a.yaml", text: outOfOrder }], knownSlos)).toThrowError(/spec\.steps: steps must be in time order/);
    const tooLong = scenario(`    - { afterSeconds: 30, cue: late, drill: { drill: relay-pause, durationSeconds: 45 } }
`);
    expect(() => loadScenarios([{ file: "b.yaml", text: tooLong }], knownSlos)).toThrowError(
      /b\.yaml:\d+ spec\.steps\[0\]\.drill\.durationSeconds: the drill outlasts the scenario \(60 s\)/,
    );
  });
});
