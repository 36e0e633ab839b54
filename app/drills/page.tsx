// Drills: the catalog of failure modes to rehearse, the guardrails every launch is held to, the runs
// acting on the lab now (abort each, or stop everything), and the history with each run's request id.
import type { Metadata } from "next";
import { abortDrillRun, emergencyStopDrills } from "@/app/drills/actions.ts";
import { openPage } from "@/app/page-access.tsx";
import { LiveRefresh } from "@/components/live-refresh.tsx";
import { authorize, roleWords, rolesAllowedWords } from "@/lib/auth/policy.ts";
import { PAGES } from "@/lib/portal/portal-pages.ts";
import { formatSeconds, liveRuns, runHistory, targetsOf, timeLeft, utc } from "@/lib/portal/drill-runs-view.ts";
import { RowLink, Table } from "@/components/table.tsx";
import { textColumn } from "@/components/table-head.tsx";
import { Panel } from "@/components/panel.tsx";

export const metadata: Metadata = { title: "Drills" };
export const dynamic = "force-dynamic";

const list = (v: readonly (string | number)[] | "all") => (v === "all" ? "all" : v.join(", "));

export default async function DrillsPage({ searchParams }: { searchParams: Promise<{ refused?: string; stopped?: string }> }) {
  const opened = await openPage(PAGES.drills, "/drills", {
    read: (lab) => Promise.all([lab.drillCatalog(), lab.drillRuns()]),
    unreachable: "The drills cannot be read right now",
  });
  if (opened.answer) return opened.answer;
  const { actor } = opened;
  const [catalog, { runs }] = opened.value;
  const { refused, stopped } = await searchParams;
  const mayRun = authorize(actor, "drill.run").allowed;
  const now = Date.now();
  const live = liveRuns(runs, now);
  const history = runHistory(runs, 50);
  const g = catalog.guardrails;
  return (
    <>
      <h1>Drills</h1>
      <p className="subtitle">
        {catalog.drills.length} failure modes to rehearse · {live.length === 0 ? "none live" : `${live.length} live`}
        {mayRun ? "" : ` · launching is for ${rolesAllowedWords("drill.run")}; you are signed in as ${roleWords(actor.role)}`}
      </p>
      {live.length > 0 && <LiveRefresh />}
      {refused && (
        <p className="panel error-state" role="alert">
          Refused: {refused}
        </p>
      )}
      {stopped !== undefined && (
        <p className="panel" role="status">
          Emergency stop done: {stopped} drill run(s) ended, and the supervisor reverted every lease it held.
        </p>
      )}
      <Panel id="live" title="Live runs">
        <Table
          label="Live drill runs"
          columns={["Drill", "Status", "Time left", "Targets", "Started by", mayRun && "Action"]}
          rows={live}
          empty={<>No drill is acting on the lab{mayRun ? ": launch one from the catalog below" : ""}.</>}
        >
          {(r) => (
            <tr key={r.id} data-drill-run={r.id}>
              <th scope="row">
                <a href={`/drills/runs/${r.id}`}>{r.title}</a> <code className="muted">{r.id}</code>
              </th>
              <td data-status>{r.phase}</td>
              <td>{timeLeft(r, now)}</td>
              <td>{targetsOf(r).join(", ")}</td>
              <td>{r.startedBy}</td>
              {mayRun && (
                <td>
                  <form action={abortDrillRun}>
                    <input type="hidden" name="runId" value={r.id} />
                    <input type="hidden" name="from" value="list" />
                    <button type="submit" className="danger" aria-label={`Abort ${r.title} (${r.id})`}>
                      {r.phase === "scheduled" ? "Cancel" : r.phase === "kept" ? "Roll back" : "Abort"}
                    </button>
                  </form>
                </td>
              )}
            </tr>
          )}
        </Table>
        {mayRun && (
          <details className="emergency-stop">
            <summary>Emergency stop…</summary>
            <p>
              Ends every live drill run (reverting each) and has the supervisor revert every fault, kill and pause it holds. Every step is on the audit trail.
            </p>
            <form action={emergencyStopDrills}>
              <button type="submit" className="danger">
                Stop every drill now
              </button>
            </form>
          </details>
        )}
      </Panel>
      <Panel id="catalog" title="Catalog">
        <Table label="Drill catalog" columns={["Drill", textColumn("Failure mode"), "Longest run", "Default rollback"]} rows={catalog.drills}>
          {(d) => (
            <tr key={d.key} data-drill={d.key}>
              <RowLink href={`/drills/${d.key}`}>{d.title}</RowLink>
              <td className="text">{d.failureMode}</td>
              <td>{formatSeconds(d.maxDurationSeconds)}</td>
              <td>{d.defaultRollback}</td>
            </tr>
          )}
        </Table>
      </Panel>
      <Panel id="guardrails" title="Guardrails">
        <p>
          Every launch is checked against these before anything touches the lab; the supervisor reverts whatever a run left at its deadline, drill engine or
          not.
        </p>
        <dl className="facts">
          <dt>Longest run</dt>
          <dd>{formatSeconds(g.maxDurationSeconds)}</dd>
          <dt>Drills at once</dt>
          <dd>{g.maxConcurrent}, one per target</dd>
          <dt>Services</dt>
          <dd>{list(g.services)}</dd>
          <dt>Shards</dt>
          <dd>{list(g.shards)}</dd>
          <dt>Personas</dt>
          <dd>{list(g.personas)}</dd>
        </dl>
      </Panel>
      <Panel id="history" title="History">
        {history.length === 0 ? (
          <p>No drill has ended yet.</p>
        ) : (
          <div className="table-scroll">
            <Table
              label="Drill history"
              columns={["Drill", "Status", "Started by", "Started", "Ended", textColumn("Why it ended"), "Request id", "Trace id"]}
              rows={history}
            >
              {(r) => (
                <tr key={r.id} data-drill-run={r.id}>
                  <RowLink href={`/drills/runs/${r.id}`}>{r.title}</RowLink>
                  <td data-status>
                    {r.status}
                    {r.kept ? " (kept)" : ""}
                  </td>
                  <td>{r.startedBy}</td>
                  <td>{utc(r.startedAt)}</td>
                  <td>{utc(r.endedAt)}</td>
                  <td className="text">{r.abortReason ?? (r.status === "completed" ? "ran its course" : "-")}</td>
                  <td>{r.requestId ? <a href={`/audit?requestId=${encodeURIComponent(r.requestId)}`}>{r.requestId}</a> : "-"}</td>
                  <td>
                    <code>{r.traceId || "-"}</code>
                  </td>
                </tr>
              )}
            </Table>
          </div>
        )}
      </Panel>
    </>
  );
}
