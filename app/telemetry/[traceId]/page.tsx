// One trace as a waterfall across the browser, the gateway, the services, the relay and the projector
// (their batch spans link to it), with its lines from the process logs, and links to Tempo and Loki where
// the Grafana stack is configured.
import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { readThroughGateway } from "@/app/operations-reads.ts";
import { currentActor } from "@/app/session.ts";
import { PanelFrame } from "@/components/operations/panel-frame.tsx";
import { NotForYourRole } from "@/components/page-states.tsx";
import { authorize } from "@/lib/auth/policy.ts";
import { labConfig } from "@/lib/data/lab-connection.ts";
import { lokiLogsLink, tempoTraceLink } from "@/lib/portal/grafana-links.ts";
import { traceWaterfall } from "@/lib/portal/trace-waterfall.ts";
import { type StoredSpan, TRACE_ID } from "@/lib/telemetry/span-store.ts";
import type { TraceLogLine } from "@/lib/telemetry/trace-logs.ts";

export const metadata: Metadata = { title: "Trace" };
export const dynamic = "force-dynamic";

export default async function TracePage({ params }: { params: Promise<{ traceId: string }> }) {
  const { traceId } = await params;
  if (!TRACE_ID.test(traceId)) notFound();
  const actor = await currentActor();
  if (!actor) redirect(`/sign-in?callbackUrl=/telemetry/${traceId}`);
  if (!authorize(actor, "ops.read").allowed) return <NotForYourRole what="Telemetry" role={actor.role} />;
  const [trace, logs] = await Promise.all([
    readThroughGateway<{ services: string[]; spans: StoredSpan[] }>(actor, `/_lab/traces/${traceId}`),
    readThroughGateway<{ lines: TraceLogLine[] }>(actor, `/_lab/traces/${traceId}/logs`),
  ]);
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
            <table aria-label="Trace waterfall" className="waterfall">
              <thead>
                <tr>
                  <th scope="col">Span</th>
                  <th scope="col">Service</th>
                  <th scope="col">Start</th>
                  <th scope="col">Duration</th>
                  <th scope="col" className="waterfall-axis">
                    0 to {totalMs.toFixed(1)} ms
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
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
                      <span className={`waterfall-bar${r.error ? " waterfall-bar-error" : ""}`} style={{ marginLeft: `${r.offsetPercent}%`, width: `${r.widthPercent}%` }} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          );
        }}
      </PanelFrame>
      <PanelFrame id="trace-logs" title="Logs of this trace" reading={logs}>
        {(l) =>
          l.lines.length === 0 ? (
            <p>No log line of this trace in the lab&apos;s recent process logs.</p>
          ) : (
            <table aria-label="Logs of this trace">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Process</th>
                  <th scope="col">Level</th>
                  <th scope="col">Message</th>
                </tr>
              </thead>
              <tbody>
                {l.lines.map((line, i) => (
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
                ))}
              </tbody>
            </table>
          )
        }
      </PanelFrame>
    </>
  );
}
