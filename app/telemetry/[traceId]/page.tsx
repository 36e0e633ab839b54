// One trace as a waterfall across the browser, the gateway, the services, the relay and the projector
// (their batch spans link to it), with its lines from the process logs, and links to Tempo and Loki where
// the Grafana stack is configured.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { labAs } from "@/app/lab.ts";
import { openPage } from "@/app/page-access.tsx";
import { PanelFrame } from "@/components/operations/panel-frame.tsx";
import { labConfig } from "@/app/portal-connections.ts";
import { lokiLogsLink, tempoTraceLink } from "@/lib/portal/grafana-links.ts";
import { PAGES } from "@/lib/portal/portal-pages.ts";
import { settle } from "@/lib/portal/reading.ts";
import { traceWaterfall } from "@/lib/portal/trace-waterfall.ts";
import { TRACE_ID } from "@/lib/telemetry/span-store.ts";
import { Table } from "@/components/table.tsx";

export const metadata: Metadata = { title: "Trace" };
export const dynamic = "force-dynamic";

export default async function TracePage({ params }: { params: Promise<{ traceId: string }> }) {
  const { traceId } = await params;
  if (!TRACE_ID.test(traceId)) notFound();
  const { actor, refusal } = await openPage(PAGES.trace, `/telemetry/${traceId}`);
  if (refusal) return refusal;
  const lab = labAs(actor);
  const [trace, logs] = await Promise.all([settle(lab.trace({ params: { traceId } })), settle(lab.traceLogs({ params: { traceId } }))]);
  const stack = labConfig().grafana;
  const tempo = tempoTraceLink(stack, traceId);
  const loki = lokiLogsLink(stack, traceId);
  return (
    <>
      <p className="breadcrumb">
        <a href="/telemetry">Telemetry</a> / trace
      </p>
      <h1>
        Trace <code>{traceId}</code>
      </h1>
      <p className="subtitle">
        {trace.ok ? `${trace.value.spans.length} spans across ${trace.value.services.join(", ")}` : "not found"}
        {tempo ? (
          <>
            {" "}
            · <a href={tempo}>open in Tempo</a>
          </>
        ) : null}
        {loki ? (
          <>
            {" "}
            · <a href={loki}>logs in Loki</a>
          </>
        ) : null}
      </p>
      <PanelFrame id="waterfall" title="Waterfall" reading={trace}>
        {(t) => {
          const { totalMs, rows } = traceWaterfall(traceId, t.spans);
          return (
            <Table
              label="Trace waterfall"
              columns={["Span", "Service", "Start", "Duration", { key: "axis", label: `0 to ${totalMs.toFixed(1)} ms`, className: "waterfall-axis" }]}
              rows={rows}
              className="waterfall"
            >
              {(r) => (
                <tr key={`${r.linked ? "linked-" : ""}${r.spanId}`} data-service={r.service} data-linked={r.linked || undefined}>
                  <th scope="row" style={{ paddingLeft: `${10 + r.depth * 16}px` }}>
                    {r.linked ? <span className="badge">linked</span> : null}
                    {r.name} <span className="muted">({r.kind})</span>
                    {r.error ? <span className="badge badge-firing">{r.statusMessage ?? "error"}</span> : null}
                  </th>
                  <td>{r.service}</td>
                  <td>+{r.startOffsetMs.toFixed(1)} ms</td>
                  <td>{r.durationMs.toFixed(1)} ms</td>
                  <td className="waterfall-track">
                    <span
                      className={`waterfall-bar${r.error ? " waterfall-bar-error" : ""}`}
                      style={{ marginLeft: `${r.offsetPercent}%`, width: `${r.widthPercent}%` }}
                    />
                  </td>
                </tr>
              )}
            </Table>
          );
        }}
      </PanelFrame>
      <PanelFrame id="trace-logs" title="Logs of this trace" reading={logs}>
        {(l) => (
          <Table
            label="Logs of this trace"
            columns={["Time", "Process", "Level", "Message"]}
            rows={l.lines}
            empty={<>No log line of this trace in the lab&apos;s recent process logs.</>}
          >
            {(line, i) => (
              <tr key={i}>
                <td>{line.time.slice(11, 23)}</td>
                <td>{line.process}</td>
                <td>{line.level}</td>
                <td className="log-message">
                  {line.msg}{" "}
                  <span className="muted">
                    {Object.entries(line.fields)
                      .map(([k, v]) => `${k}=${v}`)
                      .join(" ")}
                  </span>
                </td>
              </tr>
            )}
          </Table>
        )}
      </PanelFrame>
    </>
  );
}
