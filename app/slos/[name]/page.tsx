// One SLO in detail: its budget and each tier now, the charts of the last three hours (budget, burn per
// tier, the other side of the journey, drills shaded), and the alert history replayed over its data.
import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { currentActor, readLab } from "@/app/session.ts";
import { GrafanaSloLinks } from "@/components/grafana-links.tsx";
import { NotForYourRole, Unreachable } from "@/components/page-states.tsx";
import { SloCharts } from "@/components/slo-charts.tsx";
import { authorize } from "@/lib/auth/policy.ts";
import { labConfig } from "@/lib/data/lab-connection.ts";
import { type SloDetail, alertHistory } from "@/lib/portal/slo-detail.ts";

export const metadata: Metadata = { title: "SLO detail" };
export const dynamic = "force-dynamic";

const rate = (v: number) => (Number.isFinite(v) ? `${Math.round(v * 10) / 10}x` : "no traffic");

export default async function SloDetailPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const actor = await currentActor();
  if (!actor) redirect(`/sign-in?callbackUrl=/slos/${encodeURIComponent(name)}`);
  if (!authorize(actor, "ops.read").allowed) return <NotForYourRole what="An SLO's detail" role={actor.role} />;
  if (!/^[a-z0-9][a-z0-9-]{0,119}$/.test(name)) notFound();
  let detail: SloDetail;
  try {
    detail = await readLab<SloDetail>(`http://127.0.0.1:${labConfig().gateway.port}/_lab/slos/${name}/history?minutes=180`, actor, "gateway");
  } catch (err) {
    if (err instanceof Error && / 404/.test(err.message)) notFound();
    return <Unreachable title="The SLO cannot be read right now" error={err} />;
  }
  const alerts = alertHistory(detail);
  const firing = detail.tiers.filter((t) => t.state === "firing");
  return (
    <>
      <p className="breadcrumb">
        <a href="/slos">SLOs</a> / {detail.slo.name}
      </p>
      <h1>{detail.slo.displayName}</h1>
      <p className="subtitle" data-testid="slo-state">
        {detail.slo.journey} · {detail.slo.source} side · {Math.round(detail.slo.target * 10_000) / 100} % over {detail.slo.windowMinutes / 1440} d ·{" "}
        {detail.budgetRemaining === null ? "budget unknown" : `${Math.round(detail.budgetRemaining * 1000) / 10} % of the budget left`} ·{" "}
        {firing.length === 0 ? "no alert firing" : `${firing.map((t) => t.tier).join(", ")} firing`}
      </p>
      <GrafanaSloLinks slos={[detail.slo.name]} />
      <section className="panel" aria-labelledby="tiers-heading">
        <h2 id="tiers-heading">Burn-rate tiers now</h2>
        <table aria-label="Burn-rate tiers">
          <thead>
            <tr>
              <th scope="col">Tier</th>
              <th scope="col">Severity</th>
              <th scope="col">Factor</th>
              <th scope="col">Long window</th>
              <th scope="col">Short window</th>
              <th scope="col">Alert</th>
            </tr>
          </thead>
          <tbody>
            {detail.tiers.map((t) => (
              <tr key={t.tier} data-tier={t.tier}>
                <th scope="row">{t.tier}</th>
                <td>{t.severity}</td>
                <td>{t.factor}x</td>
                <td>{rate(t.longBurnRate)}</td>
                <td>{rate(t.shortBurnRate)}</td>
                <td>{t.state === "inactive" ? "inactive" : <span className={`badge badge-${t.state === "firing" ? "firing" : "pending"}`}>{t.state}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <SloCharts initial={detail} />
      <section className="panel" aria-labelledby="alerts-heading">
        <h2 id="alerts-heading">Alert history</h2>
        {alerts.length === 0 ? (
          <p>No tier of this SLO has gone pending or fired in its window.</p>
        ) : (
          <ol className="timeline" aria-label="Alert history">
            {alerts.map((a, i) => (
              <li key={i}>
                <time dateTime={a.at}>{a.at.replace("T", " ").slice(0, 16)}</time> {a.text}
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}
