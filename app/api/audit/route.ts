// GET /api/audit: one page of the audit search across every shard and the control database, newest first,
// redacted for the caller's view; `nextCursor` (when not null) fetches the next, older page.
import { portalRoute } from "@/app/portal-route.ts";
import { auditReaderOf, readAuditPage } from "@/lib/audit/read-audit-page.ts";
import { PORTAL_ROUTES } from "@/lib/portal/portal-routes.ts";
import { auditRequest } from "./audit-request.ts";

export const dynamic = "force-dynamic";

export const GET = portalRoute(PORTAL_ROUTES.audit, async ({ actor, view, request }) => {
  const { lab, filter } = await auditRequest(request);
  const page = await readAuditPage(lab, filter, auditReaderOf(actor, view));
  return Response.json({ items: page.rows, nextCursor: page.nextCursor, view }, { headers: { "cache-control": "no-store" } });
});
