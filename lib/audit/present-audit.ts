// What a reader of the audit search sees of an entry, by the view their role is granted (lib/auth/policy.ts):
// the entry's fields and its entity's before/after values pass through the classification table
// (lib/privacy), so synthetic PHI reaches no one whose view masks it, on the page, in JSON or in a CSV.
import type { View } from "../auth/policy.ts";
import { present } from "../clinical/present.ts";
import { type ClassifiedModel, FIELD_CLASSES } from "../privacy/classification.ts";
import { scrubText } from "../privacy/redact.ts";
import type { AuditFacts } from "./audit-chain.ts";
import { canonicalJson } from "./canonical-json.ts";
import type { EntityChange } from "./audit-changes.ts";
import { type AuditHit, auditSourceLabel } from "./search-audit.ts";

/** One field of the entity as this request changed it; a value the view may not see is "[redacted]". */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** An entry as a reader sees it: who did what to which entity, as recorded, in the order of its chain. */
export interface AuditRow extends Pick<AuditFacts, "actorId" | "actorRole" | "action" | "entityType" | "entityId" | "patientId" | "requestId" | "traceId"> {
  occurredAt: string;
  /** "control" or "shard N". */
  source: string;
  shard: number;
  sequence: string;
  outcome: string;
  /** The entry's operational detail, as JSON text. */
  details: string;
  /** "create", "update", ... when the entry's write recorded its entity's states. */
  operation: string | null;
  changes: FieldChange[];
}

const isClassified = (model: string): model is ClassifiedModel => Object.hasOwn(FIELD_CLASSES, model);

/** A state as the view may see it; for a model the table does not know, only the full view sees anything. */
function visibleState(model: string, state: Record<string, unknown> | null, view: View): Record<string, unknown> {
  if (state === null) return {};
  if (isClassified(model)) return present(model, state, view);
  return view === "full" ? state : {};
}

/** The fields that differ between before and after, compared on the stored values, shown as the view allows. */
export function visibleChanges(model: string, change: EntityChange | undefined, view: View): FieldChange[] {
  if (!change) return [];
  const [before, after] = [change.before ?? {}, change.after ?? {}];
  const [shownBefore, shownAfter] = [visibleState(model, change.before, view), visibleState(model, change.after, view)];
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return fields
    .filter((f) => canonicalJson(before[f] ?? null) !== canonicalJson(after[f] ?? null))
    .filter((f) => f in shownBefore || f in shownAfter) // a field the view drops is not even named
    .map((f) => ({
      field: f,
      before: change.before === null ? null : (shownBefore[f] ?? null),
      after: change.after === null ? null : (shownAfter[f] ?? null),
    }));
}

export function presentAuditHit(hit: AuditHit, view: View, change?: EntityChange): AuditRow {
  const entry = present("AuditEntry", hit, view) as Partial<Record<keyof AuditHit, unknown>>;
  const shown = (field: keyof AuditHit) => {
    const value = entry[field];
    return value === undefined || value === null ? null : value instanceof Date ? value.toISOString() : String(value);
  };
  // Details are operational by contract, but free-form and written by many callers: identifier shapes are
  // scrubbed for every view short of full, in case one slipped in.
  const details = shown("details") ?? "{}";
  return {
    occurredAt: hit.occurredAt.toISOString(),
    source: auditSourceLabel(hit.shard),
    shard: hit.shard,
    sequence: hit.sequence.toString(),
    actorId: shown("actorId") ?? "",
    actorRole: shown("actorRole") ?? "",
    action: shown("action") ?? "",
    entityType: shown("entityType") ?? "",
    entityId: shown("entityId") ?? "",
    patientId: shown("patientId"),
    requestId: shown("requestId"),
    traceId: shown("traceId"),
    outcome: shown("outcome") ?? "",
    details: view === "full" ? details : scrubText(details),
    operation: change?.operation ?? null,
    changes: visibleChanges(hit.entityType, change, view),
  };
}
