// JSON Schemas of the event catalog (for consumers outside TypeScript), written to docs/events/ by
// `npm run events:schemas`, and the compatibility rule a schema change must keep within one version.
import { z } from "zod";
import { catalogEntries } from "./catalog.ts";
import { EventEnvelope } from "./envelope.ts";

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  enum?: unknown[];
  [key: string]: unknown;
};

/** File name -> schema: one per event type and version, and the envelope. */
export function catalogJsonSchemas(): Record<string, JsonSchema> {
  const files: Record<string, JsonSchema> = { "envelope.schema.json": z.toJSONSchema(EventEnvelope) as JsonSchema };
  for (const { type, version, schema } of catalogEntries()) {
    files[`${type}.v${version}.schema.json`] = { title: `${type} v${version}`, ...(z.toJSONSchema(schema) as JsonSchema) };
  }
  return files;
}

/**
 * What makes `next` an incompatible change of `previous` within one version: a field removed, a field made
 * required, a field's type changed or its allowed values narrowed. New optional fields are allowed.
 */
export function compatibilityProblems(previous: JsonSchema, next: JsonSchema, path = ""): string[] {
  const problems: string[] = [];
  const at = (name: string) => (path ? `${path}.${name}` : name);
  const prevProps = previous.properties ?? {};
  const nextProps = next.properties ?? {};
  for (const name of Object.keys(prevProps)) {
    if (!(name in nextProps)) problems.push(`${at(name)} was removed`);
  }
  const prevRequired = new Set(previous.required ?? []);
  for (const name of next.required ?? []) {
    if (!prevRequired.has(name)) problems.push(`${at(name)} became required${name in prevProps ? "" : " (a new field must be optional)"}`);
  }
  for (const [name, prevField] of Object.entries(prevProps)) {
    const nextField = nextProps[name];
    if (!nextField) continue;
    if (JSON.stringify(prevField.type) !== JSON.stringify(nextField.type) || JSON.stringify(prevField.anyOf) !== JSON.stringify(nextField.anyOf)) {
      if (!(prevField.properties && nextField.properties)) problems.push(`${at(name)} changed type`);
    }
    if (prevField.enum && (!nextField.enum || prevField.enum.some((v) => !nextField.enum!.includes(v)))) problems.push(`${at(name)} lost allowed values`);
    if (prevField.properties && nextField.properties) problems.push(...compatibilityProblems(prevField, nextField, at(name)));
  }
  return problems;
}
