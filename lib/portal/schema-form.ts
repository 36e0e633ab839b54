// A drill's params form from its JSON Schema (the catalog publishes zod's toJSONSchema, io "input"): the
// fields a page renders, the params read back from the submitted form, the values a form starts with, and
// which field an engine's problem names. The engine stays the judge of what is valid: a value the form
// cannot read as its type goes on as typed, so the engine's 4xx names the field.

import type { JsonSchema } from "../contracts/json-schema.ts";

export type { JsonSchema };

export type Scalar = string | number;

interface FieldBase {
  /** The form control's name: `params.` and the data path, a union's variant in brackets. */
  name: string;
  /** Where the value sits in the params object. */
  path: string[];
  label: string;
  required: boolean;
  /** The constraints in words, shown under the control. */
  hint?: string;
}

export type FormField =
  | (FieldBase & { kind: "choice"; options: Scalar[]; default?: Scalar })
  | (FieldBase & { kind: "number"; integer: boolean; min?: number; max?: number; default?: number })
  | (FieldBase & { kind: "text"; maxLength?: number; default?: string })
  /** An array of enum values: one checkbox each. */
  | (FieldBase & { kind: "choices"; options: Scalar[]; default?: Scalar[] })
  /** An array of strings or numbers: one text box, comma-separated. */
  | (FieldBase & { kind: "list"; item: "string" | "integer" | "number"; default?: Scalar[] })
  | (FieldBase & { kind: "group"; fields: FormField[]; default?: Record<string, unknown> })
  /** A discriminated union: the discriminator picks which variant's fields count. */
  | (FieldBase & {
      kind: "variant";
      discriminator: string;
      variants: { value: Scalar; fields: FormField[] }[];
      default?: Scalar;
      defaultObject?: Record<string, unknown>;
    })
  /** Whatever the subset above does not cover: JSON typed by hand, so no schema is unusable. */
  | (FieldBase & { kind: "json"; default?: unknown });

/** Anything with FormData's getters (FormData itself, or URLSearchParams in tests). */
export interface FormLike {
  get(name: string): unknown;
  getAll(name: string): unknown[];
}

export type FormValues = Record<string, string | string[]>;

/** The fields of an object schema's properties, in their order. */
export function formFields(schema: JsonSchema, prefix = "params", path: string[] = []): FormField[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([key, property]) => fieldOf(property, `${prefix}.${key}`, [...path, key], required.has(key)));
}

function fieldOf(s: JsonSchema, name: string, path: string[], required: boolean): FormField {
  const base = { name, path, label: s.title ?? labelOf(path.at(-1) ?? name), required };
  const consts = constantsOf(s);
  if (consts) return withHint({ ...base, kind: "choice", options: consts, ...(isScalar(s.default) ? { default: s.default } : {}) }, s.description);
  if (s.type === "integer" || s.type === "number") {
    const min = s.minimum ?? s.exclusiveMinimum;
    const max = s.maximum ?? s.exclusiveMaximum;
    return {
      ...base,
      kind: "number",
      integer: s.type === "integer",
      ...(min === undefined ? {} : { min }),
      ...(max === undefined ? {} : { max }),
      ...(typeof s.default === "number" ? { default: s.default } : {}),
      hint: joinHints(s.description, numberHint(s)),
    };
  }
  if (s.type === "string") {
    return {
      ...base,
      kind: "text",
      ...(s.maxLength === undefined ? {} : { maxLength: s.maxLength }),
      ...(typeof s.default === "string" ? { default: s.default } : {}),
      hint: joinHints(s.description, stringHint(s)),
    };
  }
  if (s.type === "array" && s.items) {
    const itemChoices = constantsOf(s.items);
    const fallback = Array.isArray(s.default) && s.default.every(isScalar) ? { default: s.default as Scalar[] } : {};
    const count = countHint(s);
    if (itemChoices) return { ...base, kind: "choices", options: itemChoices, ...fallback, hint: joinHints(s.description, count) };
    const t = s.items.type;
    if (t === "string" || t === "integer" || t === "number") {
      const each = t === "string" ? stringHint(s.items) : numberHint(s.items);
      return { ...base, kind: "list", item: t, ...fallback, hint: joinHints(s.description, `comma-separated${each ? `; each ${each}` : ""}`, count) };
    }
  }
  if (s.type === "object" && s.properties) {
    return { ...base, kind: "group", fields: formFields(s, name, path), ...(isRecord(s.default) ? { default: s.default } : {}), hint: s.description };
  }
  const union = discriminatedUnion(s);
  if (union) {
    const defaultObject = isRecord(s.default) ? s.default : undefined;
    const chosen = defaultObject?.[union.discriminator];
    return {
      ...base,
      kind: "variant",
      discriminator: union.discriminator,
      variants: union.members.map(({ value, schema }) => ({
        value,
        fields: formFields({ ...schema, properties: omit(schema.properties ?? {}, union.discriminator) }, `${name}[${value}]`, path),
      })),
      ...(isScalar(chosen) ? { default: chosen } : {}),
      ...(defaultObject ? { defaultObject } : {}),
      hint: s.description,
    };
  }
  return { ...base, kind: "json", ...(s.default === undefined ? {} : { default: s.default }), hint: joinHints(s.description, "JSON") };
}

/** The params object from a submitted form: empty optional fields are left out (the engine applies defaults). */
export function readParams(fields: readonly FormField[], form: FormLike): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = readField(field, form);
    if (value !== undefined) out[field.path.at(-1)!] = value;
  }
  return out;
}

function readField(field: FormField, form: FormLike): unknown {
  const raw = text(form.get(field.name));
  switch (field.kind) {
    case "choice":
      return raw === "" ? undefined : optionOf(field.options, raw);
    case "number":
      return raw === "" ? undefined : numberOr(raw);
    case "text":
      return raw === "" ? undefined : raw;
    case "choices": {
      const chosen = form
        .getAll(field.name)
        .map(text)
        .filter((v) => v !== "");
      return chosen.length === 0 ? undefined : chosen.map((v) => optionOf(field.options, v));
    }
    case "list": {
      const items = raw
        .split(/[,\n]/)
        .map((v) => v.trim())
        .filter((v) => v !== "");
      if (items.length === 0) return undefined;
      return field.item === "string" ? items : items.map(numberOr);
    }
    case "group": {
      const inner = readParams(field.fields, form);
      return Object.keys(inner).length === 0 && !field.required ? undefined : inner;
    }
    case "variant": {
      if (raw === "") return undefined;
      const variant = field.variants.find((v) => String(v.value) === raw);
      // An unknown variant goes on alone: the engine names the discriminator.
      return variant ? { [field.discriminator]: variant.value, ...readParams(variant.fields, form) } : { [field.discriminator]: raw };
    }
    case "json": {
      if (raw.trim() === "") return undefined;
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        return raw;
      }
    }
  }
}

/** What each control starts with: the params of a request under review, else the schema's defaults. */
export function formValues(fields: readonly FormField[], params: Record<string, unknown> | undefined): FormValues {
  const out: FormValues = {};
  for (const field of fields) fillValues(field, params, out);
  return out;
}

function fillValues(field: FormField, source: Record<string, unknown> | undefined, out: FormValues): void {
  const given = source?.[field.path.at(-1)!];
  switch (field.kind) {
    case "group":
      for (const f of field.fields) fillValues(f, isRecord(given) ? given : field.default, out);
      return;
    case "variant": {
      const object = isRecord(given) ? given : given === undefined ? field.defaultObject : undefined;
      const chosen = object?.[field.discriminator];
      out[field.name] = chosen === undefined ? "" : String(chosen);
      for (const v of field.variants) {
        const own = String(v.value) === String(chosen) ? object : undefined;
        for (const f of v.fields) fillValues(f, own, out);
      }
      return;
    }
    case "choices": {
      const value = given ?? field.default;
      out[field.name] = Array.isArray(value) ? value.map(String) : [];
      return;
    }
    case "list": {
      const value = given ?? field.default;
      out[field.name] = Array.isArray(value) ? value.map(String).join(", ") : value === undefined ? "" : String(value);
      return;
    }
    case "json": {
      const value = given ?? field.default;
      out[field.name] = value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
      return;
    }
    default: {
      const value = given ?? field.default;
      out[field.name] = value === undefined ? "" : String(value);
    }
  }
}

/** The values a submitted form holds for the fields (a GET form's query, to show it again as typed). */
export function submittedValues(fields: readonly FormField[], form: FormLike): FormValues {
  const out: FormValues = {};
  const visit = (field: FormField): void => {
    if (field.kind === "group") return field.fields.forEach(visit);
    out[field.name] = field.kind === "choices" ? form.getAll(field.name).map(text) : text(form.get(field.name));
    if (field.kind === "variant") field.variants.forEach((v) => v.fields.forEach(visit));
  };
  fields.forEach(visit);
  return out;
}

/**
 * The control an engine problem's `field` (`params.latency.meanMs`, `params.routes.0`) names, among the
 * fields the request filled (a union's chosen variant); undefined when it names none.
 */
export function fieldForProblem(
  fields: readonly FormField[],
  params: Record<string, unknown> | undefined,
  problemField: string | undefined,
): string | undefined {
  if (!problemField) return undefined;
  for (const field of fields) {
    const at = ["params", ...field.path].join(".");
    if (problemField !== at && !problemField.startsWith(`${at}.`)) continue;
    const given = params?.[field.path.at(-1)!];
    if (field.kind === "group") return fieldForProblem(field.fields, isRecord(given) ? given : undefined, problemField) ?? field.fields[0]?.name;
    if (field.kind === "variant" && isRecord(given)) {
      const chosen = field.variants.find((v) => String(v.value) === String(given[field.discriminator]));
      if (chosen) return fieldForProblem(chosen.fields, given, problemField) ?? field.name;
    }
    return field.name;
  }
  return undefined;
}

/** An HTML id for a control's name (ids may not hold brackets or dots usefully in selectors). */
export function controlId(name: string): string {
  return name.replace(/[^A-Za-z0-9]+/g, "-").replace(/-$/, "");
}

const UNITS: Record<string, { short: string; long: string }> = { ms: { short: "ms", long: "Milliseconds" }, seconds: { short: "s", long: "Seconds" } };

/** `meanMs` -> "Mean (ms)", `failRate` -> "Fail rate", `ms` -> "Milliseconds". */
export function labelOf(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(" ");
  const unit = UNITS[words.at(-1) ?? ""];
  const head = (unit ? words.slice(0, -1) : words).join(" ");
  if (unit && head === "") return unit.long;
  const sentence = head.charAt(0).toUpperCase() + head.slice(1);
  return unit ? `${sentence} (${unit.short})` : sentence;
}

/** A fixed set of values: `enum`, or a union of `const`s (zod's union of literals). */
function constantsOf(s: JsonSchema): Scalar[] | null {
  if (s.enum && s.enum.length > 0 && s.enum.every(isScalar)) return [...s.enum];
  if (s.const !== undefined && isScalar(s.const)) return [s.const];
  const members = s.anyOf ?? s.oneOf;
  if (members && members.length > 0 && members.every((m) => m.const !== undefined && isScalar(m.const) && !m.properties))
    return members.map((m) => m.const as Scalar);
  return null;
}

/** A union of objects sharing one property whose value differs per member (a `const`). */
function discriminatedUnion(s: JsonSchema): { discriminator: string; members: { value: Scalar; schema: JsonSchema }[] } | null {
  const members = s.oneOf ?? s.anyOf;
  if (!members || members.length === 0 || !members.every((m) => m.type === "object" && m.properties)) return null;
  for (const key of Object.keys(members[0]!.properties!)) {
    const values = members.map((m) => m.properties?.[key]?.const);
    if (values.every(isScalar) && new Set(values.map(String)).size === values.length)
      return { discriminator: key, members: members.map((m, i) => ({ value: values[i] as Scalar, schema: m })) };
  }
  return null;
}

function numberHint(s: JsonSchema): string {
  const kind = s.type === "integer" ? "a whole number" : "a number";
  const low = s.exclusiveMinimum !== undefined ? `above ${s.exclusiveMinimum}` : s.minimum !== undefined ? `from ${s.minimum}` : "";
  const joint = low.startsWith("from") ? "to" : low ? "and at most" : "at most";
  const high = s.exclusiveMaximum !== undefined ? `${low ? "and " : ""}below ${s.exclusiveMaximum}` : s.maximum !== undefined ? `${joint} ${s.maximum}` : "";
  return [kind, low, high].filter(Boolean).join(" ");
}

function stringHint(s: JsonSchema): string {
  const prefix = s.pattern ? /^\^((?:\\.|[^\\.*+?()[\]{}|^$])+)\.\*$/.exec(s.pattern) : null;
  const shape = prefix ? `starting with ${prefix[1]!.replace(/\\(.)/g, "$1")}` : s.pattern ? `matching ${s.pattern}` : "";
  return [shape, s.maxLength !== undefined ? `at most ${s.maxLength} characters` : ""].filter(Boolean).join(", ");
}

function countHint(s: JsonSchema): string {
  if (s.minItems !== undefined && s.maxItems !== undefined) return `${s.minItems} to ${s.maxItems} of them`;
  if (s.maxItems !== undefined) return `at most ${s.maxItems}`;
  return "";
}

function withHint<F extends FormField>(field: F, hint: string | undefined): F {
  return hint ? { ...field, hint } : field;
}

function joinHints(...hints: (string | undefined)[]): string | undefined {
  const given = hints.filter((h): h is string => Boolean(h));
  return given.length ? given.join("; ") : undefined;
}

function optionOf(options: readonly Scalar[], raw: string): Scalar {
  return options.find((o) => String(o) === raw) ?? raw;
}

/** A number when the text is one; else the text, so the engine names what was typed. */
export function numberOr(raw: string): number | string {
  const n = Number(raw);
  return raw.trim() !== "" && Number.isFinite(n) ? n : raw;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function isScalar(value: unknown): value is Scalar {
  return typeof value === "string" || (typeof value === "number" && Number.isFinite(value));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function omit<T>(record: Record<string, T>, key: string): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => k !== key));
}
