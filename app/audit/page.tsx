// Audit search: every audit log of the lab (each shard's and the control database's, where the operators'
// drills, traffic and fault switches are recorded) by request id, actor, action, entity and time, newest
// first, in cursor pages, with synthetic PHI masked for the reader's view, a CSV export of the same filter
// and each chain's verification. For the roles allowed to read the audit logs (SRE, instructor, admin).
import type { Metadata } from "next";
import { Suspense } from "react";
import { AuditFilterForm } from "@/app/audit/audit-filter-form.tsx";
import { AuditTable } from "@/app/audit/audit-table.tsx";
import { ChainStatusPanel } from "@/app/audit/chain-status-panel.tsx";
import { openPage } from "@/app/page-access.tsx";
import { AUDIT_EXPORT_MAX_ROWS } from "@/lib/audit/audit-csv.ts";
import { type AuditFilter, auditFilterParams, isFiltered, parseAuditFilter } from "@/lib/audit/audit-filter.ts";
import { type AuditRowPage, auditReaderOf, readAuditPage } from "@/lib/audit/read-audit-page.ts";
import { authorize, roleWords, rolesAllowedWords } from "@/lib/auth/policy.ts";
import type { LabDatabases } from "@/lib/data/lab-databases.ts";
import { labConfig, sharedLabDatabases } from "@/app/portal-connections.ts";
import { isLabError } from "@/lib/errors/index.ts";
import { PAGES } from "@/lib/portal/portal-pages.ts";
import { Panel } from "@/components/panel.tsx";

export const metadata: Metadata = { title: "Audit" };
export const dynamic = "force-dynamic";

type SearchParams = Record<string, string | string[] | undefined>;

const VIEW_NOTE = { full: "every field shown", billing: "clinical free text masked", masked: "synthetic PHI masked" } as const;

/** What the form shows: the typed text, except times the form's own inputs can display. */
function formValues(params: SearchParams, filter: AuditFilter | null): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (typeof v === "string") raw[k] = v;
  if (filter?.from) raw.from = filter.from.toISOString().slice(0, 19);
  if (filter?.to) raw.to = filter.to.toISOString().slice(0, 19);
  return raw;
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const query = new URLSearchParams(formValues(params, null)).toString();
  const { actor, view, refusal } = await openPage(PAGES.audit, query ? `/audit?${query}` : "/audit");
  if (refusal) return refusal;
  const config = labConfig();
  let filter: AuditFilter | null = null;
  let inputError: { field: string; message: string } | null = null;
  let lab: LabDatabases | null = null;
  let page: AuditRowPage | null = null;
  let readError: string | null = null;
  try {
    filter = parseAuditFilter(params, { shardCount: config.shardCount });
  } catch (err) {
    if (!isLabError(err, "invalid")) throw err;
    inputError = { field: err.field ?? "query", message: err.message };
  }
  try {
    lab = await sharedLabDatabases();
    if (filter) page = await readAuditPage(lab, filter, auditReaderOf(actor, view));
  } catch (err) {
    if (isLabError(err, "invalid"))
      inputError = { field: err.field ?? "query", message: err.message }; // a stale or forged cursor
    else readError = err instanceof Error ? err.message : String(err);
  }
  if (readError !== null) {
    return (
      <section className="panel error-state" role="alert">
        <h1>The lab&apos;s audit logs cannot be read</h1>
        <p>{readError}</p>
        <p>
          Start the lab with <code>npm run lab</code>, or see <code>npm run lab:status</code>.
        </p>
      </section>
    );
  }
  const mayVerify = authorize(actor, "audit.verify").allowed;
  return (
    <>
      <h1>Audit</h1>
      <p className="subtitle">
        {config.shardCount} shards and the control database · newest first · your view: {view} ({VIEW_NOTE[view]})
      </p>
      <Panel id="filter" title="Search">
        {inputError && (
          <p id="filter-error" className="field-error" role="alert">
            {inputError.message}
          </p>
        )}
        <AuditFilterForm raw={formValues(params, filter)} shardCount={config.shardCount} invalidField={inputError?.field ?? null} />
      </Panel>
      {filter && page && (
        <Panel id="results" title="Entries">
          {page.rows.length === 0 ? (
            <p data-testid="audit-empty">
              {isFiltered(filter)
                ? "No audit entry matches this filter. Widen the time range, check the request id (a response's x-request-id header carries it), or clear the filter."
                : "The lab has no audit entries yet. Every clinical and billing write and every operator action (drills, traffic, fault switches) is recorded here: start the lab with npm run lab and its simulator writes within a minute."}
            </p>
          ) : (
            <AuditTable rows={page.rows} />
          )}
          <nav className="pager" aria-label="Audit pages">
            {filter.cursor && <a href={`/audit?${auditFilterParams(filter, { cursor: null })}`}>Newest</a>}
            {page.nextCursor && <a href={`/audit?${auditFilterParams(filter, { cursor: page.nextCursor })}`}>Older</a>}
            <a href={`/api/audit/export?${auditFilterParams(filter, { cursor: null, limit: null })}`} download>
              Export CSV
            </a>
            <span className="muted">every page of this filter, at most {AUDIT_EXPORT_MAX_ROWS.toLocaleString("en-US")} rows, masked as shown here</span>
          </nav>
        </Panel>
      )}
      <Panel id="chains" title="Chain verification">
        {!mayVerify ? (
          <p>
            Verifying the audit chains is for {rolesAllowedWords("audit.verify")}; you are signed in as {roleWords(actor.role)}.
          </p>
        ) : (
          lab && (
            <Suspense fallback={<p role="status">Verifying the newest entries of each log…</p>}>
              <ChainStatusPanel lab={lab} />
            </Suspense>
          )
        )}
      </Panel>
    </>
  );
}
