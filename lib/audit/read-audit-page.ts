// One page of the audit search as a reader sees it: the entries of every log that match the filter, newest
// first, each with its entity's change, redacted for the reader's view. The page, the API and the CSV export
// all read through here, so they cannot disagree on what is shown or hidden.
import type { View } from "../auth/policy.ts";
import type { LabDatabases } from "../data/lab-databases.ts";
import { type AuditFilter, auditQueryOf } from "./audit-filter.ts";
import { entityChangesOf, hitId } from "./audit-changes.ts";
import { type AuditRow, presentAuditHit } from "./present-audit.ts";
import { searchAudit } from "./search-audit.ts";

export interface AuditRowPage {
  rows: AuditRow[];
  nextCursor: string | null;
}

export async function readAuditPage(lab: LabDatabases, filter: AuditFilter, view: View): Promise<AuditRowPage> {
  const page = await searchAudit(lab, auditQueryOf(filter));
  const changes = await entityChangesOf(lab, page.items);
  return { rows: page.items.map((hit) => presentAuditHit(hit, view, changes.get(hitId(hit)))), nextCursor: page.nextCursor };
}
