// What each view of clinical data shows (policy.ts names the view a role gets):
//   full     every field (identifiers appear only as their irreversible tokens anyway)
//   billing  no clinical free text (encounter reason and note)
//   masked   operational fields only; synthetic PHI is replaced by "[redacted]" (the SRE's view)
import type { View } from "../auth/policy.ts";
import type { ClassifiedModel } from "../privacy/classification.ts";
import { REDACTED, redactRecord } from "../privacy/redact.ts";

const CLINICAL_FREE_TEXT = new Set(["reason", "note"]);

/** A record as a view shows it: each field, or "[redacted]" in its place where the view hides it. */
export type Shown<T> = { [K in keyof T]: T[K] | typeof REDACTED };

export function present<T extends object>(model: ClassifiedModel, row: T, view: View): Shown<T> {
  if (view === "masked") return redactRecord(model, row as Record<string, unknown>, { keep: ["operational", "telemetry", "pseudonym"] }) as Shown<T>;
  const out: Record<string, unknown> = { ...(row as Record<string, unknown>) };
  if (view === "billing") for (const field of CLINICAL_FREE_TEXT) if (field in out) out[field] = REDACTED;
  return out as Shown<T>;
}
