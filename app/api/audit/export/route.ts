// GET /api/audit/export: the audit search's filter as a CSV download, redacted as the search is, streamed
// page by page and capped (X-Export-Row-Limit; a last line says when the cap cut it short).
import { portalRoute } from "@/app/portal-route.ts";
import { AUDIT_EXPORT_MAX_ROWS, auditCsv } from "@/lib/audit/audit-csv.ts";
import { auditReaderOf } from "@/lib/audit/read-audit-page.ts";
import { PORTAL_ROUTES } from "@/lib/portal/portal-routes.ts";
import { auditRequest } from "../audit-request.ts";

export const dynamic = "force-dynamic";

export const GET = portalRoute(PORTAL_ROUTES.auditExport, async ({ actor, view, request }) => {
  const { lab, filter } = await auditRequest(request);
  const chunks = auditCsv(lab, filter, auditReaderOf(actor, view));
  // The header line and the first page are read before answering, so a database that cannot be read is a
  // problem body and a status, not a download that breaks off.
  const opening: string[] = [];
  for (let i = 0; i < 2; i++) {
    const next = await chunks.next();
    if (next.done) break;
    opening.push(next.value);
  }
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(opening.join("")));
    },
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined); // the reader went away: stop reading pages
    },
  });
  const stamp = new Date().toISOString().replace(/[:.]/g, "").slice(0, 17);
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8; header=present",
      "content-disposition": `attachment; filename="audit-${stamp}Z.csv"`,
      "cache-control": "no-store",
      "x-export-row-limit": String(AUDIT_EXPORT_MAX_ROWS),
    },
  });
});
