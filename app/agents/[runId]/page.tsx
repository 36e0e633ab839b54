// One run of the agents' benchmark: each exercise as the agent played it (detected, the entity and class
// right, mitigated, the times, its tool calls and refusals, levers on the wrong target, points), with the
// review of each, and the record's digest that `npm run bench:agents -- --verify` checks again.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { labConfig } from "@/app/portal-connections.ts";
import { openPage } from "@/app/page-access.tsx";
import { Panel } from "@/components/panel.tsx";
import { RowLink, Table } from "@/components/table.tsx";
import { readAgentBenchRun } from "@/lib/exercises/agent-bench-records.ts";
import { PAGES } from "@/lib/portal/portal-pages.ts";

export const metadata: Metadata = { title: "Agent benchmark run" };
export const dynamic = "force-dynamic";

const mark = (b: boolean) => (b ? "yes" : "no");
const secs = (n: number | null) => (n === null ? "-" : `${n} s`);

export default async function AgentRunPage({ params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  const { refusal } = await openPage(PAGES.agentRun, `/agents/${runId}`);
  if (refusal) return refusal;
  const run = readAgentBenchRun(labConfig().dataDir, runId);
  if (!run) notFound();
  return (
    <>
      <p className="breadcrumb">
        <a href="/agents">Agents</a> / {run.id}
      </p>
      <h1>{run.agent}</h1>
      <p className="subtitle">
        {run.startedAt.replace("T", " ").slice(0, 16)} UTC · {run.results.length} exercises in {Math.round(run.seconds / 60)} min · seed {run.seed} ·{" "}
        {run.atOnce} labs at a time · {run.minutes} min and {run.maxCalls} calls at most each · <code>{run.command}</code>
      </p>
      <Panel id="exercises" title="Exercises">
        <Table
          label="The agent's exercises"
          columns={["Exercise", "What was wrong", "Detected", "Entity", "Class", "Mitigated", "To mitigation", "Calls", "Refused", "Wrong target", "Points"]}
          rows={run.results}
        >
          {(r) => (
            <tr key={r.exercise}>
              <RowLink href={`/agents/${run.id}/${r.exercise}`}>{r.exercise}</RowLink>
              <td>{r.problem && r.points === null ? `not played: ${r.problem}` : `${r.entity}, ${r.faultClass}`}</td>
              <td>{r.noFault ? (r.detected ? "false alarm" : "quiet, right") : mark(r.detected)}</td>
              <td>{r.noFault ? "-" : mark(r.entityRight)}</td>
              <td>{r.noFault ? "-" : mark(r.classRight)}</td>
              <td>{r.noFault ? "-" : mark(r.mitigated)}</td>
              <td>{secs(r.secondsToMitigation)}</td>
              <td>{r.toolCalls}</td>
              <td>{r.refusedCalls}</td>
              <td>{r.wrongTargetActions}</td>
              <td>{r.points ?? "-"}</td>
            </tr>
          )}
        </Table>
      </Panel>
    </>
  );
}
