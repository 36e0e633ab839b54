// One scenario run's narrative: what the instructor, the drills and the SLOs did, in time order, with
// the budget each watched SLO spent; live while it runs, and exported as a Markdown post-incident review
// (or read as JSON by agents at /api/scenarios/runs/:id/narrative).
import type { Metadata } from "next";
import { openPage } from "@/app/page-access.tsx";
import { stopScenario } from "@/app/scenarios/actions.ts";
import { labConfig } from "@/app/portal-connections.ts";
import { GrafanaSloLinks } from "@/components/grafana-links.tsx";
import { rangeAround } from "@/lib/portal/grafana-links.ts";
import { LiveRefresh } from "@/components/live-refresh.tsx";
import { authorize } from "@/lib/auth/policy.ts";
import { PAGES } from "@/lib/portal/portal-pages.ts";
import { Table } from "@/components/table.tsx";
import { Panel } from "@/components/panel.tsx";

export const metadata: Metadata = { title: "Scenario narrative" };
export const dynamic = "force-dynamic";

const clock = (iso: string) => iso.slice(11, 19);
const percent = (v: number | null) => (v === null ? "n/a" : `${Math.round(v * 1000) / 10} %`);

export default async function ScenarioRunPage({ params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  const opened = await openPage(PAGES.scenarioRun, `/scenarios/${runId}`, {
    read: (lab) => lab.scenarioNarrative({ params: { runId } }),
    unreachable: "The narrative cannot be read right now",
    absentIsNotFound: true,
  });
  if (opened.answer) return opened.answer;
  const { actor, value: n } = opened;
  const running = n.run.status === "running";
  const api = `/api/scenarios/runs/${n.run.id}/narrative`;
  return (
    <>
      <h1>{n.run.title}</h1>
      <p className="subtitle" data-testid="scenario-status">
        {n.run.status} · started {n.run.startedAt.replace("T", " ").slice(0, 19)} UTC by {n.run.startedBy} · request id <code>{n.run.requestId}</code>
      </p>
      <GrafanaSloLinks stack={labConfig().grafana} slos={n.budgets.map((b) => b.slo)} range={rangeAround(n.run.startedAt, n.run.endedAt)} />
      {running && <LiveRefresh />}
      <Panel id="summary" title="Summary">
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
      </Panel>
      <Panel id="timeline" title="Timeline (UTC)">
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
      </Panel>
      <Panel id="budget" title="Error budget spent">
        <Table label="Budget spent per watched SLO" columns={["SLO", "Left at start", running ? "Left now" : "Left at end", "Spent"]} rows={n.budgets}>
          {(b) => (
            <tr key={b.slo}>
              <th scope="row">{b.displayName}</th>
              <td>{percent(b.atStart)}</td>
              <td>{percent(b.atEnd)}</td>
              <td>{b.spentPercent === null ? "n/a" : `${b.spentPercent} %`}</td>
            </tr>
          )}
        </Table>
      </Panel>
      <Panel id="drills" title="Drills">
        <Table label="Drills of this scenario" columns={["Drill", "Run", "Status", "Why it ended"]} rows={n.drills} empty="No drill launched yet.">
          {(d) => (
            <tr key={d.id} data-drill-run={d.id}>
              <th scope="row">{d.title}</th>
              <td>
                <code>{d.id}</code>
              </td>
              <td>{d.status}</td>
              <td>{d.abortReason ?? (d.endedAt ? "ran its course" : "running")}</td>
            </tr>
          )}
        </Table>
      </Panel>
    </>
  );
}
