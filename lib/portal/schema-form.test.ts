import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ROLES } from "../auth/roles.ts";
import { DEFAULT_GUARDRAILS } from "../drills/drill-request.ts";
import { DRILLS, drillOf } from "../drills/drill-catalog.ts";
import { validateLaunch } from "../drills/drill-validation.ts";
import { LabError } from "../errors/index.ts";
import {
  type FormField,
  type FormValues,
  type JsonSchema,
  fieldForProblem,
  formFields,
  formValues,
  labelOf,
  readParams,
  submittedValues,
} from "./schema-form.ts";

/** The schema the engine's catalog publishes for a drill. */
const schemaOf = (key: string) => z.toJSONSchema(drillOf(key)!.params, { io: "input" }) as JsonSchema;
const fieldsOf = (key: string) => formFields(schemaOf(key));

/** A form as the browser submits it: every control's value, checkboxes once per checked box. */
function submitted(values: FormValues): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(values)) for (const v of Array.isArray(value) ? value : [value]) form.append(name, v);
  return form;
}

const flatten = (fields: readonly FormField[]): FormField[] =>
  fields.flatMap((f) => [f, ...(f.kind === "group" ? flatten(f.fields) : f.kind === "variant" ? flatten(f.variants.flatMap((v) => v.fields)) : [])]);

/** The engine's own check of a launch, as the drill engine runs it; the problem it answers with. */
function engineProblem(params: Record<string, unknown>, drill = "service-latency"): LabError | null {
  try {
    validateLaunch({ drill, params, durationSeconds: 20 }, { guardrails: DEFAULT_GUARDRAILS, shardCount: 4, knownSlos: new Set() });
    return null;
  } catch (err) {
    if (err instanceof LabError) return err;
    throw err;
  }
}

describe("a drill's params form from the catalog's JSON Schema", () => {
  it("gives every drill of the catalog typed controls, none falling back to raw JSON", () => {
    for (const drill of DRILLS) {
      const fields = flatten(formFields(z.toJSONSchema(drill.params, { io: "input" }) as JsonSchema));
      expect(fields.filter((f) => f.kind === "json").map((f) => `${drill.key}: ${f.name}`)).toEqual([]);
    }
  });

  it("turns the service-latency schema into a service choice, a latency distribution switch, a rate and three optional scopes", () => {
    const [service, latency, rate, routes, shards, personas] = fieldsOf("service-latency");
    expect(service).toMatchObject({ kind: "choice", name: "params.service", required: true, options: ["clinical", "billing"] });
    expect(latency).toMatchObject({ kind: "variant", name: "params.latency", discriminator: "type", default: "exponential", required: false });
    if (latency?.kind !== "variant") throw new Error("latency is a discriminated union");
    expect(latency.variants.map((v) => [v.value, v.fields.map((f) => f.name)])).toEqual([
      ["fixed", ["params.latency[fixed].ms"]],
      ["uniform", ["params.latency[uniform].minMs", "params.latency[uniform].maxMs"]],
      ["normal", ["params.latency[normal].meanMs", "params.latency[normal].stdDevMs"]],
      ["exponential", ["params.latency[exponential].meanMs"]],
    ]);
    expect(latency.variants[3]!.fields[0]).toMatchObject({
      kind: "number",
      integer: true,
      min: 0,
      max: 600_000,
      label: "Mean (ms)",
      path: ["latency", "meanMs"],
    });
    expect(rate).toMatchObject({ kind: "number", integer: false, min: 0, max: 1, default: 1, hint: "a number above 0 and at most 1" });
    expect(routes).toMatchObject({
      kind: "list",
      item: "string",
      required: false,
      hint: "comma-separated; each starting with /, at most 200 characters; 1 to 20 of them",
    });
    expect(shards).toMatchObject({ kind: "list", item: "integer", hint: "comma-separated; each a whole number from 0 to 63; 1 to 64 of them" });
    expect(personas).toMatchObject({ kind: "choices", options: [...ROLES] });
  });

  it("starts the form at the schema's defaults, the latency's chosen variant included", () => {
    const values = formValues(fieldsOf("service-latency"), undefined);
    expect(values).toMatchObject({
      "params.service": "",
      "params.latency": "exponential",
      "params.latency[exponential].meanMs": "400",
      "params.latency[normal].meanMs": "",
      "params.rate": "1",
      "params.routes": "",
      "params.personas": [],
    });
  });

  it("reads a union of number literals (the error burst's status) back as the number", () => {
    const fields = fieldsOf("error-burst");
    expect(fields[1]).toMatchObject({ kind: "choice", options: [429, 500, 502, 503, 504], default: 503 });
    const params = readParams(fields, submitted({ ...formValues(fields, undefined), "params.service": "billing" }));
    expect(params).toEqual({ service: "billing", status: 503, rate: 0.5 });
    expect(engineProblem(params, "error-burst")).toBeNull();
  });

  it("reads only the chosen variant's controls, and leaves empty optional controls out for the engine's defaults", () => {
    const fields = fieldsOf("service-latency");
    const form = submitted({
      ...formValues(fields, undefined),
      "params.service": "clinical",
      "params.latency": "uniform",
      "params.latency[uniform].minMs": "100",
      "params.latency[uniform].maxMs": "900",
      "params.rate": "",
    });
    expect(readParams(fields, form)).toEqual({ service: "clinical", latency: { type: "uniform", minMs: 100, maxMs: 900 } });
  });

  it("shows every drill's own defaults: read back, they are the params the drill would apply itself", () => {
    const required: Record<string, Record<string, string>> = { "params.service": { "params.service": "clinical" }, "params.shard": { "params.shard": "1" } };
    for (const drill of DRILLS) {
      const fields = formFields(z.toJSONSchema(drill.params, { io: "input" }) as JsonSchema);
      const filled = Object.assign(formValues(fields, undefined), ...fields.filter((f) => f.required).map((f) => required[f.name]));
      const read = readParams(fields, submitted(filled));
      const requiredOnly = Object.fromEntries(Object.entries(read).filter(([key]) => fields.some((f) => f.path[0] === key && f.required)));
      expect(drill.params.parse(read), drill.key).toEqual(drill.params.parse(requiredOnly));
    }
  });

  it("round-trips any valid service-latency params through the form's controls unchanged", () => {
    const fields = fieldsOf("service-latency");
    const ms = fc.integer({ min: 0, max: 600_000 });
    const latency = fc.oneof(
      fc.record({ type: fc.constant("fixed"), ms }),
      fc.tuple(ms, ms).map(([a, b]) => ({ type: "uniform", minMs: Math.min(a, b), maxMs: Math.max(a, b) })),
      fc.record({ type: fc.constant("normal"), meanMs: ms, stdDevMs: ms }),
      fc.record({ type: fc.constant("exponential"), meanMs: ms }),
    );
    const params = fc.record(
      {
        service: fc.constantFrom("clinical", "billing"),
        latency,
        rate: fc.double({ min: Number.MIN_VALUE, max: 1, noNaN: true }),
        routes: fc.array(fc.stringMatching(/^\/[a-z0-9/-]{0,30}$/), { minLength: 1, maxLength: 20 }),
        shards: fc.array(fc.integer({ min: 0, max: 63 }), { minLength: 1, maxLength: 64 }),
        personas: fc.subarray([...ROLES], { minLength: 1 }),
      },
      { requiredKeys: ["service", "latency", "rate"] },
    );
    fc.assert(
      fc.property(params, (p) => {
        const read = readParams(fields, submitted(formValues(fields, p)));
        expect(read).toEqual(p);
        expect(drillOf("service-latency")!.params.safeParse(read).success).toBe(true);
      }),
    );
  });

  it("shows a submitted form again as typed, garbage included", () => {
    const fields = fieldsOf("service-latency");
    const query = new URLSearchParams([
      ["params.routes", "records, /x"],
      ["params.personas", "sre"],
      ["params.personas", "patient"],
      ["params.latency", "fixed"],
      ["params.latency[fixed].ms", "12"],
    ]);
    expect(submittedValues(fields, query)).toMatchObject({
      "params.routes": "records, /x",
      "params.personas": ["sre", "patient"],
      "params.latency": "fixed",
      "params.latency[fixed].ms": "12",
      "params.rate": "",
    });
  });

  it("passes what it cannot read on as typed, so the engine's problem names the field and the form marks its control", () => {
    const fields = fieldsOf("service-latency");
    const cases: [Record<string, string>, string, string][] = [
      [{ "params.rate": "lots" }, "params.rate", "params.rate"],
      [{ "params.routes": "/patients, records" }, "params.routes.1", "params.routes"],
      [{ "params.shards": "1, two" }, "params.shards.1", "params.shards"],
      [
        { "params.latency": "uniform", "params.latency[uniform].minMs": "900", "params.latency[uniform].maxMs": "100" },
        "params.latency.minMs",
        "params.latency[uniform].minMs",
      ],
      [{ "params.latency": "normal", "params.latency[normal].meanMs": "100" }, "params.latency.stdDevMs", "params.latency[normal].stdDevMs"],
    ];
    for (const [typed, problemField, control] of cases) {
      const params = readParams(fields, submitted({ ...formValues(fields, undefined), "params.service": "clinical", ...typed }));
      const problem = engineProblem(params);
      expect(problem?.field, JSON.stringify(typed)).toBe(problemField);
      expect(fieldForProblem(fields, params, problem?.field)).toBe(control);
    }
  });

  it("falls back to a JSON control for what the subset does not cover, and reads it back parsed or as typed", () => {
    const fields = formFields({ type: "object", properties: { flag: { type: "boolean" }, any: {} } });
    expect(fields.map((f) => f.kind)).toEqual(["json", "json"]);
    expect(readParams(fields, submitted({ "params.flag": "true", "params.any": "{oops" }))).toEqual({ flag: true, any: "{oops" });
  });

  it("reads nested objects as groups and names their controls by path", () => {
    const fields = formFields({
      type: "object",
      required: ["window"],
      properties: { window: { type: "object", properties: { fromMs: { type: "integer", default: 5 }, label: { type: "string" } } } },
    });
    expect(fields[0]).toMatchObject({ kind: "group", name: "params.window", required: true });
    const values = formValues(fields, undefined);
    expect(values).toEqual({ "params.window.fromMs": "5", "params.window.label": "" });
    expect(readParams(fields, submitted({ ...values, "params.window.fromMs": "" }))).toEqual({ window: {} });
    expect(fieldForProblem(fields, { window: {} }, "params.window.label")).toBe("params.window.label");
  });

  it("labels controls in words with their unit", () => {
    expect([labelOf("meanMs"), labelOf("stdDevMs"), labelOf("failRate"), labelOf("durationSeconds"), labelOf("service"), labelOf("ms")]).toEqual([
      "Mean (ms)",
      "Std dev (ms)",
      "Fail rate",
      "Duration (s)",
      "Service",
      "Milliseconds",
    ]);
  });
});
