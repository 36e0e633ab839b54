// The agents' leaderboard: every run of `npm run bench:agents` kept in this lab's data directory, newest
// first, with what each agent detected, localised and mitigated over the exercises it played, and its
// false alarms on a healthy lab. A run's page has its exercises and their reviews. Not for on-call: the
// results say what each exercise hides.
import type { Metadata } from "next";
import { labConfig } from "@/app/portal-connections.ts";
import { openPage } from "@/app/page-access.tsx";
import { Panel } from "@/components/panel.tsx";
import { RowLink, Table } from "@/components/table.tsx";
import { readAgentBenchRuns } from "@/lib/exercises/agent-bench-records.ts";
import { PAGES } from "@/lib/portal/portal-pages.ts";

export const metadata: Metadata = { title: "Agents" };
export const dynamic = "force-dynamic";

const share = (n: number, of: number) => (of === 0 ? "-" : `${n}/${of}`);

export default async function AgentsPage() {
  const { refusal } = await openPage(PAGES.agents, "/agents");
  if (refusal) return refusal;
  const runs = readAgentBenchRuns(labConfig().dataDir);
  return (
    <>
      <h1>Agents on call</h1>
      <p className="subtitle">
        Runs of <code>npm run bench:agents</code>: an agent plays the exercise catalog over the lab&apos;s MCP server, scored as a person is. The scripted and
        do-nothing baselines are the floor.
      </p>
      <Panel id="leaderboard" title="Leaderboard">
        <Table
          label="Agent benchmark runs"
          columns={["Agent", "When", "Exercises", "Detected", "Entity", "Class", "Mitigated", "Healthy lab right", "Tool calls", "Points"]}
          rows={runs}
          empty={
            <>
              No benchmark has run in this lab yet: <code>npm run bench:agents -- --agent scripted</code> plays the catalog and keeps its results here.
            </>
          }
        >
          {(r) => (
            <tr key={r.id}>
              <RowLink href={`/agents/${r.id}`}>{r.agent}</RowLink>
              <td>{r.startedAt.replace("T", " ").slice(0, 16)}</td>
              <td>{r.totals.exercises}</td>
              <td>{share(r.totals.detected, r.totals.faults)}</td>
              <td>{share(r.totals.localised, r.totals.faults)}</td>
              <td>{share(r.totals.classified, r.totals.faults)}</td>
              <td>{share(r.totals.mitigated, r.totals.faults)}</td>
              <td>{share(r.totals.quietRight, r.totals.noFault)}</td>
              <td>{r.totals.toolCalls}</td>
              <td>
                {r.totals.points} / {100 * r.totals.exercises}
              </td>
            </tr>
          )}
        </Table>
      </Panel>
    </>
  );
}
