// One page of the audit search as a reader sees it: the entries of every log that match the filter, newest
// first, each with its entity's change, redacted for the reader's view. The page, the API and the CSV export
// all read through here, so they cannot disagree on what is shown or hidden.
import { type View, seesControls } from "../auth/policy.ts";
import type { Actor } from "../auth/roles.ts";
import type { LabDatabases } from "../data/lab-databases.ts";
import { type AuditFilter, auditQueryOf } from "./audit-filter.ts";
import { entityChangesOf, hitId } from "./audit-changes.ts";
import { type AuditRow, presentAuditHit } from "./present-audit.ts";
import { searchAudit } from "./search-audit.ts";

export interface AuditRowPage {
  rows: AuditRow[];
  nextCursor: string | null;
}

/** Who reads: the view their role has, and, for a reader who may not see the lab's controls, their own user id. */
export interface AuditReader {
  view: View;
  controlsHiddenExcept?: string;
}

/** The reader an actor is: its view, and the controls hidden unless its role sees them (ADR 0023). */
export function auditReaderOf(actor: Actor, view: View): AuditReader {
  return seesControls(actor) ? { view } : { view, controlsHiddenExcept: actor.userId };
}

export async function readAuditPage(lab: LabDatabases, filter: AuditFilter, reader: AuditReader): Promise<AuditRowPage> {
  const { view } = reader;
  const page = await searchAudit(lab, { ...auditQueryOf(filter), withoutControlsExcept: reader.controlsHiddenExcept });
  const changes = await entityChangesOf(lab, page.items);
  return { rows: page.items.map((hit) => presentAuditHit(hit, view, changes.get(hitId(hit)))), nextCursor: page.nextCursor };
}
