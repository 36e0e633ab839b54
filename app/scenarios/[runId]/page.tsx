// One scenario run's narrative: what the instructor, the drills and the SLOs did, in time order, with
// the budget each watched SLO spent; live while it runs, and exported as a Markdown post-incident review
// (or read as JSON by agents at /api/scenarios/runs/:id/narrative).
import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { stopScenario } from "@/app/scenarios/actions.ts";
import { currentActor, readLab } from "@/app/session.ts";
import { GrafanaSloLinks } from "@/components/grafana-links.tsx";
import { rangeAround } from "@/lib/portal/grafana-links.ts";
import { LiveRefresh } from "@/components/live-refresh.tsx";
import { NotForYourRole, Unreachable } from "@/components/page-states.tsx";
import { authorize } from "@/lib/auth/policy.ts";
import { labConfig } from "@/lib/data/lab-connection.ts";
import type { Narrative } from "@/lib/scenarios/narrative.ts";

export const metadata: Metadata = { title: "Scenario narrative" };
export const dynamic = "force-dynamic";

const clock = (iso: string) => iso.slice(11, 19);
const percent = (v: number | null) => (v === null ? "n/a" : `${Math.round(v * 1000) / 10} %`);

export default async function ScenarioRunPage({ params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  const actor = await currentActor();
  if (!actor) redirect(`/sign-in?callbackUrl=/scenarios/${encodeURIComponent(runId)}`);
  if (!authorize(actor, "ops.read").allowed) return <NotForYourRole what="A scenario's narrative" role={actor.role} />;
  if (!/^scn-[a-z0-9-]{1,60}$/.test(runId)) notFound();
  let n: Narrative;
  try {
    n = await readLab<Narrative>(`http://127.0.0.1:${labConfig().drills.port}/_lab/scenarios/runs/${runId}/narrative`, actor, "drill engine");
  } catch (err) {
    if (err instanceof Error && / 404/.test(err.message)) notFound();
    return <Unreachable title="The narrative cannot be read right now" error={err} />;
  }
  const running = n.run.status === "running";
  const api = `/api/scenarios/runs/${n.run.id}/narrative`;
  return (
    <>
      <h1>{n.run.title}</h1>
      <p className="subtitle" data-testid="scenario-status">
        {n.run.status} · started {n.run.startedAt.replace("T", " ").slice(0, 19)} UTC by {n.run.startedBy} · request id <code>{n.run.requestId}</code>
      </p>
      <GrafanaSloLinks slos={n.budgets.map((b) => b.slo)} range={rangeAround(n.run.startedAt, n.run.endedAt)} />
      {running && <LiveRefresh />}
      <section className="panel" aria-labelledby="summary-heading">
        <h2 id="summary-heading">Summary</h2>
        <p data-testid="narrative-summary">{n.summary}</p>
        <p className="actions">
          <a href={`${api}?format=markdown`} download>
            Post-incident review (Markdown)
          </a>{" "}
          · <a href={api}>Narrative as JSON</a> · <a href={`/audit?requestId=${encodeURIComponent(n.run.requestId)}`}>Audit entries of this run</a>
        </p>
        {running && authorize(actor, "drill.run").allowed && (
          <form action={stopScenario}>
            <input type="hidden" name="runId" value={n.run.id} />
            <button type="submit" className="danger">
              Stop the scenario and abort its drills
            </button>
          </form>
        )}
      </section>
      <section className="panel" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Timeline (UTC)</h2>
        {n.entries.length === 0 ? (
          <p>Nothing has happened yet: the first cue is due at the scenario&apos;s start.</p>
        ) : (
          <ol className="timeline" aria-label="Narrative timeline">
            {n.entries.map((e, i) => (
              <li key={i} data-kind={e.kind}>
                <time dateTime={e.at}>{clock(e.at)}</time> <span className={`badge badge-${e.kind}`}>{e.kind}</span> {e.text}
                {e.actor && e.kind !== "alert" ? <span className="muted"> ({e.actor})</span> : null}
              </li>
            ))}
          </ol>
        )}
      </section>
      <section className="panel" aria-labelledby="budget-heading">
        <h2 id="budget-heading">Error budget spent</h2>
        <table aria-label="Budget spent per watched SLO">
          <thead>
            <tr>
              <th scope="col">SLO</th>
              <th scope="col">Left at start</th>
              <th scope="col">{running ? "Left now" : "Left at end"}</th>
              <th scope="col">Spent</th>
            </tr>
          </thead>
          <tbody>
            {n.budgets.map((b) => (
              <tr key={b.slo}>
                <th scope="row">{b.displayName}</th>
                <td>{percent(b.atStart)}</td>
                <td>{percent(b.atEnd)}</td>
                <td>{b.spentPercent === null ? "n/a" : `${b.spentPercent} %`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="panel" aria-labelledby="drills-heading">
        <h2 id="drills-heading">Drills</h2>
        {n.drills.length === 0 ? (
          <p>No drill launched yet.</p>
        ) : (
          <table aria-label="Drills of this scenario">
            <thead>
              <tr>
                <th scope="col">Drill</th>
                <th scope="col">Run</th>
                <th scope="col">Status</th>
                <th scope="col">Why it ended</th>
              </tr>
            </thead>
            <tbody>
              {n.drills.map((d) => (
                <tr key={d.id} data-drill-run={d.id}>
                  <th scope="row">{d.title}</th>
                  <td>
                    <code>{d.id}</code>
                  </td>
                  <td>{d.status}</td>
                  <td>{d.abortReason ?? (d.endedAt ? "ran its course" : "running")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
