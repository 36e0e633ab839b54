// One SLO in detail: its budget and each tier now, its no-data alert (a journey counted on both sides), the
// charts of the last three hours (budget, burn per tier, the other side of the journey, drills shaded), and
// the alert history replayed over its data.
import type { Metadata } from "next";
import { openPage } from "@/app/page-access.tsx";
import { labConfig } from "@/app/portal-connections.ts";
import { GrafanaSloLinks } from "@/components/grafana-links.tsx";
import { SloCharts } from "@/components/slo-charts.tsx";
import { PAGES } from "@/lib/portal/portal-pages.ts";
import { alertHistory } from "@/lib/portal/slo-detail.ts";
import { Table } from "@/components/table.tsx";
import { Panel } from "@/components/panel.tsx";
import { runbookPath } from "@/lib/runbooks/runbook-paths.ts";
import { alertsNow } from "@/lib/slo/evaluate-slos.ts";
import { NO_DATA, NO_DATA_WINDOW_MINUTES } from "@/lib/slo/no-data.ts";

export const metadata: Metadata = { title: "SLO detail" };
export const dynamic = "force-dynamic";

const rate = (v: number) => (Number.isFinite(v) ? `${Math.round(v * 10) / 10}x` : "no traffic");

export default async function SloDetailPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const opened = await openPage(PAGES.slo, `/slos/${name}`, {
    read: (lab) => lab.sloHistory({ params: { name }, query: { minutes: 180 } }),
    unreachable: "The SLO cannot be read right now",
    absentIsNotFound: true,
  });
  if (opened.answer) return opened.answer;
  const detail = opened.value;
  const alerts = alertHistory(detail);
  const firing = alertsNow(detail).filter((a) => a.state === "firing");
  const silence = detail.noData;
  return (
    <>
      <p className="breadcrumb">
        <a href="/slos">SLOs</a> / {detail.slo.name}
      </p>
      <h1>{detail.slo.displayName}</h1>
      <p className="subtitle" data-testid="slo-state">
        {detail.slo.journey} · {detail.slo.source} side · {Math.round(detail.slo.target * 10_000) / 100} % over {detail.slo.windowMinutes / 1440} d ·{" "}
        {detail.budgetRemaining === null ? "budget unknown" : `${Math.round(detail.budgetRemaining * 1000) / 10} % of the budget left`} ·{" "}
        {firing.length === 0 ? "no alert firing" : `${firing.map((a) => a.alert).join(", ")} firing`}
      </p>
      <p>
        <a href={runbookPath(detail.slo.name)}>Runbook for this SLO&apos;s alerts</a>
      </p>
      <GrafanaSloLinks stack={labConfig().grafana} slos={[detail.slo.name]} />
      <Panel id="tiers" title="Burn-rate tiers now">
        <Table label="Burn-rate tiers" columns={["Tier", "Severity", "Factor", "Long window", "Short window", "Alert", "Runbook"]} rows={detail.tiers}>
          {(t) => (
            <tr key={t.tier} data-tier={t.tier}>
              <th scope="row">{t.tier}</th>
              <td>{t.severity}</td>
              <td>{t.factor}x</td>
              <td>{rate(t.longBurnRate)}</td>
              <td>{rate(t.shortBurnRate)}</td>
              <td>{t.state === "inactive" ? "inactive" : <span className={`badge badge-${t.state === "firing" ? "firing" : "pending"}`}>{t.state}</span>}</td>
              <td>
                <a href={runbookPath(detail.slo.name, t.tier)}>Runbook for {t.tier}</a>
              </td>
            </tr>
          )}
        </Table>
      </Panel>
      {silence && (
        <Panel id="no-data" title="Signal">
          <p data-testid="no-data">
            No-data alert ({silence.severity}):{" "}
            {silence.state === "inactive" ? (
              "inactive"
            ) : (
              <span className={`badge badge-${silence.state === "firing" ? "firing" : "pending"}`}>{silence.state}</span>
            )}{" "}
            · over the last {NO_DATA_WINDOW_MINUTES} min this ({detail.slo.source}) side counted {silence.requests} requests of the journey, the{" "}
            {silence.against} side {silence.againstRequests} · <a href={runbookPath(detail.slo.name, NO_DATA)}>Runbook for no-data</a>
          </p>
        </Panel>
      )}
      <SloCharts initial={detail} />
      <Panel id="alerts" title="Alert history">
        {alerts.length === 0 ? (
          <p>No alert of this SLO has gone pending or fired in its window.</p>
        ) : (
          <ol className="timeline" aria-label="Alert history">
            {alerts.map((a, i) => (
              <li key={i}>
                <time dateTime={a.at}>{a.at.replace("T", " ").slice(0, 16)}</time> {a.text}
              </li>
            ))}
          </ol>
        )}
      </Panel>
    </>
  );
}
