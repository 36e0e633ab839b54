// GET /api/audit: one page of the audit search across every shard and the control database, newest first,
// redacted for the caller's view; `nextCursor` (when not null) fetches the next, older page.
import { readAuditPage } from "@/lib/audit/read-audit-page.ts";
import { auditRequest, problemOf } from "./audit-request.ts";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  try {
    const { lab, filter, view } = await auditRequest(request);
    const page = await readAuditPage(lab, filter, view);
    return Response.json({ items: page.rows, nextCursor: page.nextCursor, view }, { headers: { "cache-control": "no-store" } });
  } catch (err) {
    return problemOf(err, "GET /api/audit");
  }
}
