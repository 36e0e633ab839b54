// Redaction for logs and exports, driven by the classification table.
import { type ClassifiedModel, type DataClass, PHI_FIELD_NAMES, classOf } from "./classification.ts";

export const REDACTED = "[redacted]" as const;

/** Clear identifiers that must never reach a log, whatever model they came from. */
const CLEAR_IDENTIFIER_NAMES = new Set(["mrn", "nationalId", "ssn", "phone", "email", "npi", "password", "authorization", "cookie"]);

export interface ExportPolicy {
  /** Classes copied as they are; every other class is replaced by REDACTED. */
  keep: readonly DataClass[];
}

/** For an SRE's view or a CSV export: only the classes the policy keeps; unknown fields are dropped. */
export function redactRecord<T extends Record<string, unknown>>(model: ClassifiedModel, record: T, policy: ExportPolicy) {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(record)) {
    const cls = classOf(model, field);
    if (cls === undefined) continue;
    out[field] = policy.keep.includes(cls) ? value : REDACTED;
  }
  return out as { [K in keyof T]: T[K] | typeof REDACTED };
}

/** For log lines: walks any value and hides PHI-like and clear-identifier fields by name. */
export function redactForLog(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== "object") return value;
  if (depth > 8) return REDACTED; // too deep to inspect: hide it rather than let it through unread
  if (value instanceof Date) return value;
  // An error's message and stack are not enumerable: kept (scrubbed), or error lines would say nothing.
  if (value instanceof Error)
    return {
      type: value.name,
      message: scrubText(value.message),
      stack: value.stack ? scrubText(value.stack) : undefined,
      ...(redactForLog({ ...value }, depth + 1) as object),
    };
  if (Array.isArray(value)) return value.map((v) => redactForLog(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = PHI_FIELD_NAMES.has(key) || CLEAR_IDENTIFIER_NAMES.has(key) ? REDACTED : redactForLog(v, depth + 1);
  }
  return out;
}

// Identifier shapes a free text (a browser error message, say) may carry: e-mail addresses, national-id,
// phone and MRN-like numbers. Synthetic as the lab's people are, they are never stored in clear.
const IDENTIFIER_SHAPES = [/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, /\b\d{3}-\d{2}-\d{4}\b/g, /\b\d{3}[-. ]\d{3,4}[-. ]\d{4}\b/g, /\bMRN[-\w]*\d[-\w]*/gi];

/** A free text with identifier-shaped substrings replaced by [redacted]. */
export function scrubText(text: string): string {
  return IDENTIFIER_SHAPES.reduce((t, shape) => t.replace(shape, REDACTED), text);
}
