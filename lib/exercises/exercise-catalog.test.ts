import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadTrafficProfileDirectory } from "../simulator/traffic-profile.ts";
import { loadSloDirectory } from "../slo/load-slos.ts";
import { FAULT_CLASSES, isNoFault, loadExerciseDirectory, loadExercises, mitigationSlos, playsAlone, touchedSlos } from "./exercise-catalog.ts";

const root = join(import.meta.dirname, "..", "..");
const known = {
  slos: new Set(loadSloDirectory(join(root, "slo"), root).map((s) => s.name)),
  profiles: new Set(loadTrafficProfileDirectory(join(root, "traffic-profiles"), root).map((p) => p.name)),
};

/** An exercise document around the given spec lines (YAML, indented under spec:). */
const exercise = (spec: string, name = "drill-night") => `apiVersion: pim-lab/v1
kind: Exercise
metadata: { name: ${name}, title: Night shift, briefing: You are on call. }
spec:
${spec}`;

const latencyOnClinical = (entity: string) => `  timeLimitSeconds: 600
  hidden:
    traffic: { profile: steady-demo, seed: 1 }
    faults:
      - { afterSeconds: 30, drill: service-latency, params: { service: clinical }, durationSeconds: 300 }
  truth:
    entity: ${entity}
    faultClass: latency
    expectedAlerts: [{ slo: clinician-record-diagnosis-latency, tier: page-fast }]
  mitigations: [{ action: roll-back-config, service: clinical }]`;

describe("the exercise catalog", () => {
  const catalog = loadExerciseDirectory(join(root, "exercises"), known, root);

  it("loads every exercise of exercises/, with no-fault ones among them so that nothing wrong is a possible answer", () => {
    expect(catalog.length).toBeGreaterThanOrEqual(9);
    expect(catalog.filter(isNoFault).length).toBeGreaterThanOrEqual(2);
    for (const e of catalog.filter(isNoFault)) expect(e.mitigations).toEqual([{ action: "none" }]);
  });

  it("plays alone the exercises that need the machine: the no-fault ones and the surges, and no other", () => {
    const alone = catalog.filter(playsAlone).map((e) => e.name);
    expect(alone.sort()).toEqual(["claims-noon", "quiet-friday", "quiet-tuesday", "records-noon"]);
    expect(catalog.filter((e) => !playsAlone(e)).map((e) => e.truth.faultClass)).not.toContain("overload");
  });

  it("has two exercises or more for most fault classes, on different targets: the answer is not the class's", () => {
    const targets = new Map<string, Set<string>>();
    for (const e of catalog.filter((x) => !isNoFault(x))) {
      const seen = targets.get(e.truth.faultClass) ?? new Set<string>();
      targets.set(e.truth.faultClass, seen.add(JSON.stringify(e.truth.entity)));
    }
    const varied = [...targets].filter(([, t]) => t.size >= 2).map(([c]) => c);
    expect(varied.length, `classes with two targets or more: ${varied.join(", ")}`).toBeGreaterThanOrEqual(6);
  });

  it("covers every fault class of one machine's failure modes, and gives no title away", () => {
    const classes = new Set(catalog.map((e) => e.truth.faultClass));
    for (const c of ["latency", "errors", "crash", "hang", "unavailable", "backlog", "misconfiguration", "overload", "blind-spot", "none"] as const)
      expect(classes).toContain(c);
    expect(FAULT_CLASSES).toEqual(expect.arrayContaining([...classes]));
    for (const e of catalog) {
      const said = `${e.name} ${e.title}`.toLowerCase();
      const entity = e.truth.entity;
      const answer = [e.truth.faultClass, entity.kind, "service" in entity ? entity.service : "", "shard" in entity ? `shard ${entity.shard}` : ""];
      for (const word of answer.filter((w) => w && w !== "none")) expect(said, `${e.name} names its answer`).not.toContain(word);
    }
  });

  it("judges a mitigation by the expected alerts' SLOs and, beside a latency SLO, its journey's availability", () => {
    const slos = loadSloDirectory(join(root, "slo"), root);
    const named = (name: string) => catalog.find((e) => e.name === name)!;
    // A surge's latency page: shedding every request would answer the clinicians fast, with 503s.
    expect(mitigationSlos(named("records-noon"), slos)).toEqual(["clinician-find-patient-latency", "clinician-find-patient-availability"]);
    expect(mitigationSlos(named("clinic-evening"), slos)).toEqual(["clinician-record-diagnosis-availability"]);
  });

  it("counts as the fault's own the SLOs of every journey that reaches the faulty service, whatever service the SLO names", () => {
    const slos = loadSloDirectory(join(root, "slo"), root);
    const named = (name: string) => catalog.find((e) => e.name === name)!;
    const billing = touchedSlos(named("claims-morning"), slos);
    // An SRE's inspection is counted against clinical but reads claims from billing: slow billing burns it too.
    expect(billing).toEqual(expect.arrayContaining(["billing-work-claims-latency", "patient-view-claims-latency", "sre-inspect-records-latency"]));
    expect(billing).not.toContain("clinician-prescribe-latency");
    expect(billing).not.toContain("patient-view-record-latency");
    // A fault at the gateway is on every journey's path.
    expect(touchedSlos(named("claims-noon"), slos)).toHaveLength(slos.length);
  });

  it("refuses a truth that is not what the hidden faults touch, naming file, line and field", () => {
    const text = exercise(latencyOnClinical("{ kind: service, service: billing }"));
    expect(() => loadExercises([{ file: "exercises/night.yaml", text }], known)).toThrowError(
      /exercises\/night\.yaml:\d+ spec\.truth\.entity: the hidden faults touch the clinical service, the clinical configuration, not the billing service/,
    );
    expect(loadExercises([{ file: "ok.yaml", text: exercise(latencyOnClinical("{ kind: service, service: clinical }")) }], known)).toHaveLength(1);
  });

  it("refuses an unknown drill, SLO or traffic profile, a fault past the time limit or its drill's longest run", () => {
    const text = exercise(
      latencyOnClinical("{ kind: service, service: clinical }")
        .replace("steady-demo", "no-such-profile")
        .replace("clinician-record-diagnosis-latency", "no-such-slo")
        .replace("durationSeconds: 300", "durationSeconds: 3000"),
    );
    const problems = (() => {
      try {
        loadExercises([{ file: "x.yaml", text }], known);
        return "";
      } catch (err) {
        return String(err);
      }
    })();
    expect(problems).toMatch(/spec\.hidden\.traffic\.profile: no traffic profile named no-such-profile/);
    expect(problems).toMatch(/spec\.truth\.expectedAlerts\[0\]\.slo: no SLO named no-such-slo/);
    expect(problems).toMatch(/spec\.hidden\.faults\[0\]\.durationSeconds: the fault outlasts the time limit \(600 s\)/);
    expect(problems).toMatch(/spec\.hidden\.faults\[0\]\.durationSeconds: service-latency runs 1800 s at the most/);
    expect(() =>
      loadExercises([{ file: "y.yaml", text: exercise(latencyOnClinical("{ kind: relay }").replace("service-latency", "no-drill")) }], known),
    ).toThrowError(/spec\.hidden\.faults\[0\]\.drill: no drill no-drill in the catalog/);
  });

  it("keeps a no-fault exercise free of faults and expected alerts, and a faulty one with both", () => {
    const noFault = `  timeLimitSeconds: 600
  hidden: { traffic: { profile: steady-demo, seed: 1 }, faults: [] }
  truth: { entity: { kind: none }, faultClass: latency, expectedAlerts: [{ slo: clinician-record-diagnosis-latency, tier: page-fast }] }
  mitigations: [{ action: shed-traffic }]`;
    const problems = (() => {
      try {
        loadExercises([{ file: "z.yaml", text: exercise(noFault) }], known);
        return "";
      } catch (err) {
        return String(err);
      }
    })();
    expect(problems).toMatch(/spec\.truth\.faultClass: a fault class of none goes with the entity none/);
    expect(problems).toMatch(/spec\.truth\.expectedAlerts: a no-fault exercise expects no alert/);
    expect(problems).toMatch(/spec\.mitigations: a no-fault exercise accepts only the mitigation none/);
    const twice = exercise(latencyOnClinical("{ kind: service, service: clinical }"));
    expect(() => loadExercises([{ file: "a.yaml", text: `${twice}\n---\n${twice}` }], known)).toThrowError(/metadata\.name: drill-night is defined twice/);
  });
});
