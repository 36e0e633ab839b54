// One drill run, live: its status and time left, each step (applied, reverted, on which target), its abort
// conditions and deadline, and the abort button while it acts on the lab.
import type { Metadata } from "next";
import { abortDrillRun } from "@/app/drills/actions.ts";
import { openPage } from "@/app/page-access.tsx";
import { labConfig } from "@/app/portal-connections.ts";
import { GrafanaSloLinks } from "@/components/grafana-links.tsx";
import { rangeAround } from "@/lib/portal/grafana-links.ts";
import { LiveRefresh } from "@/components/live-refresh.tsx";
import { authorize } from "@/lib/auth/policy.ts";
import { PAGES } from "@/lib/portal/portal-pages.ts";
import { describeAbortCondition } from "@/lib/drills/abort-conditions.ts";
import { formatSeconds, livePhase, targetsOf, timeLeft, utc } from "@/lib/portal/drill-runs-view.ts";
import { Table } from "@/components/table.tsx";
import { textColumn } from "@/components/table-head.tsx";
import { Panel } from "@/components/panel.tsx";

export const metadata: Metadata = { title: "Drill run" };
export const dynamic = "force-dynamic";

const list = (v: readonly (string | number)[] | "all") => (v === "all" ? "all" : v.join(", "));

export default async function DrillRunPage({ params, searchParams }: { params: Promise<{ runId: string }>; searchParams: Promise<{ refused?: string }> }) {
  const { runId } = await params;
  const opened = await openPage(PAGES.drillRun, `/drills/runs/${runId}`, {
    read: (lab) => lab.drillRun({ params: { runId } }),
    unreachable: "The drill run cannot be read right now",
    absentIsNotFound: true,
  });
  if (opened.answer) return opened.answer;
  const { actor, value: run } = opened;
  const { refused } = await searchParams;
  const now = Date.now();
  const phase = livePhase(run, now);
  const mayRun = authorize(actor, "drill.run").allowed;
  return (
    <>
      <p className="breadcrumb">
        <a href="/drills">Drills</a> / <code>{run.id}</code>
      </p>
      <h1>{run.title}</h1>
      <p className="subtitle" data-testid="drill-run-status">
        {run.status}
        {run.kept ? " (change kept)" : ""} · {phase ? timeLeft(run, now) : `ended ${utc(run.endedAt)}`} · targets {targetsOf(run).join(", ")}
      </p>
      <GrafanaSloLinks stack={labConfig().grafana} slos={run.abortWhen.map((c) => c.slo)} range={rangeAround(run.startedAt, run.endedAt)} />
      {phase && <LiveRefresh everyMs={3000} />}
      {refused && (
        <p className="panel error-state" role="alert">
          Refused: {refused}
        </p>
      )}
      <Panel id="run" title="Run">
        <dl className="facts">
          <dt>Status</dt>
          <dd data-testid="drill-run-state">{run.status}</dd>
          {run.abortReason && (
            <>
              <dt>Why it ended</dt>
              <dd>{run.abortReason}</dd>
            </>
          )}
          <dt>Started by</dt>
          <dd>{run.startedBy}</dd>
          {run.scheduledFor && (
            <>
              <dt>Scheduled for</dt>
              <dd>{utc(run.scheduledFor)}</dd>
            </>
          )}
          <dt>Started</dt>
          <dd>{utc(run.startedAt)}</dd>
          <dt>Ends</dt>
          <dd>
            {utc(run.endsAt)} ({formatSeconds(run.durationSeconds)})
          </dd>
          <dt>Deadline</dt>
          <dd>{utc(run.deadlineAt)}: the supervisor reverts whatever is left</dd>
          <dt>Ended</dt>
          <dd>{utc(run.endedAt)}</dd>
          <dt>Rollback</dt>
          <dd>{run.rollback}</dd>
          <dt>Blast radius</dt>
          <dd>
            services {list(run.radius.services)}; shards {list(run.radius.shards)}; personas {list(run.radius.personas)}
          </dd>
          <dt>Params</dt>
          <dd>
            <code>{JSON.stringify(run.params)}</code>
          </dd>
          <dt>Request id</dt>
          <dd>{run.requestId ? <a href={`/audit?requestId=${encodeURIComponent(run.requestId)}`}>{run.requestId}</a> : "-"}</dd>
          <dt>Trace id</dt>
          <dd>
            <code>{run.traceId || "-"}</code>
          </dd>
        </dl>
        {phase && mayRun && (
          <form action={abortDrillRun} className="drill-actions">
            <input type="hidden" name="runId" value={run.id} />
            <input type="hidden" name="from" value="run" />
            <button type="submit" className="danger">
              {phase === "scheduled" ? "Cancel this run" : phase === "kept" ? "Roll back the kept change" : "Abort this run"}
            </button>
          </form>
        )}
      </Panel>
      <Panel id="steps" title="Steps">
        <Table label="Steps of the run" columns={["Step", textColumn("Action"), "Target", "Applied", "Reverted", textColumn("Problem")]} rows={run.steps}>
          {(s, i) => (
            <tr key={i} data-step={i + 1}>
              <th scope="row">{i + 1}</th>
              <td className="text">{s.description}</td>
              <td>{s.target ?? "-"}</td>
              <td data-applied>{utc(s.appliedAt)}</td>
              <td data-reverted>{utc(s.revertedAt)}</td>
              <td className="text">{s.error ?? "-"}</td>
            </tr>
          )}
        </Table>
      </Panel>
      <Panel id="abort" title="Abort conditions">
        {run.abortWhen.length === 0 ? (
          <p>None: the run lasts its duration unless someone aborts it.</p>
        ) : (
          <ul>
            {run.abortWhen.map((c, i) => (
              <li key={i}>
                <code>{c.slo}</code>: {describeAbortCondition(c)}
              </li>
            ))}
          </ul>
        )}
        <p className="hint">
          The drill engine checks them every 2 s while the run lasts{run.rollback === "on-deviation" ? ", and while a kept change lives" : ""}.
        </p>
      </Panel>
    </>
  );
}
