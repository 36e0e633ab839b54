// Telemetry: the newest requests through the gateway whose traces are kept (the failed or the slow ones on
// request), and a box to open any trace by id, e.g. one from a log line or an audit entry.
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { labAs } from "@/app/lab.ts";
import { openPage } from "@/app/page-access.tsx";
import { PanelFrame } from "@/components/operations/panel-frame.tsx";
import { PAGES } from "@/lib/portal/portal-pages.ts";
import { settle } from "@/lib/portal/reading.ts";
import { TRACE_ID } from "@/lib/telemetry/span-store.ts";
import { RowLink, Table } from "@/components/table.tsx";
import { Panel } from "@/components/panel.tsx";

export const metadata: Metadata = { title: "Telemetry" };
export const dynamic = "force-dynamic";

export default async function TelemetryPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { actor, refusal } = await openPage(PAGES.telemetry, "/telemetry");
  if (refusal) return refusal;
  const params = await searchParams;
  const asked = typeof params.traceId === "string" ? params.traceId.trim().toLowerCase() : "";
  if (TRACE_ID.test(asked)) redirect(`/telemetry/${asked}`);
  const errors = params.errors === "true";
  const minMs = typeof params.minMs === "string" && /^\d{1,6}$/.test(params.minMs) ? Number(params.minMs) : 0;
  const traces = await settle(labAs(actor).traces({ query: { limit: 50, errors: errors ? "true" : "false", minMs } }));
  return (
    <>
      <h1>Telemetry</h1>
      <p className="subtitle">
        Traces kept for 24 h: the gateway starts one for every tenth request, and records every request that arrives with a sampled traceparent.
      </p>
      <Panel id="open-trace" title="Open a trace">
        <form method="get" className="audit-filter">
          <label>
            Trace id (32 hex digits)
            <input name="traceId" defaultValue={asked} pattern="[0-9a-fA-F]{32}" aria-invalid={asked !== "" && !TRACE_ID.test(asked)} />
          </label>
          <button type="submit">Open</button>
        </form>
        {asked !== "" && !TRACE_ID.test(asked) ? (
          <p className="error-state" role="alert">
            A trace id is 32 hexadecimal digits, as in a traceparent header; &quot;{asked.slice(0, 64)}&quot; is not one.
          </p>
        ) : null}
      </Panel>
      <PanelFrame id="recent-traces" title="Recent requests" reading={traces}>
        {(t) => (
          <>
            <form method="get" className="audit-filter" aria-label="Filter the recent requests">
              <label>
                <span>
                  <input type="checkbox" name="errors" value="true" defaultChecked={errors} /> failed only
                </span>
              </label>
              <label>
                Slower than (ms)
                <input name="minMs" type="number" min={0} max={600000} defaultValue={minMs || ""} />
              </label>
              <button type="submit">Filter</button>
            </form>
            <Table
              label="Recent requests"
              columns={["Request", "Started", "Duration", "Outcome"]}
              rows={t.traces}
              empty={<>No request matches yet. The simulator sends traffic from the lab&apos;s start; widen the filter or wait a minute.</>}
            >
              {(trace) => (
                <tr key={trace.spanId} data-trace={trace.traceId}>
                  <RowLink href={`/telemetry/${trace.traceId}`}>{trace.name}</RowLink>
                  <td>{trace.startedAt.slice(11, 23)}</td>
                  <td>{trace.durationMs.toFixed(1)} ms</td>
                  <td>{trace.error ? <span className="badge badge-firing">error</span> : "ok"}</td>
                </tr>
              )}
            </Table>
          </>
        )}
      </PanelFrame>
    </>
  );
}
