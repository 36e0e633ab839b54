// The SRE's dashboard (also the instructor's and admin's): the SLO board by journey, the event pipeline
// (outbox backlog, consumer lag, dead letters) and each shard's health: reachable, its rows, its backlog.
import { EventPipelinePanel } from "@/components/operations/event-pipeline-panel.tsx";
import { JourneysPanel } from "@/components/operations/journeys-panel.tsx";
import type { ShardHealth } from "@/lib/data/shard-health.ts";
import type { LabAnswer } from "@/lib/lab-client/lab-endpoints.ts";
import type { Reading } from "@/lib/portal/reading.ts";
import { Table } from "@/components/table.tsx";
import { Panel } from "@/components/panel.tsx";

export interface OperationsReadings {
  slos: Reading<LabAnswer<"slos">>;
  events: Reading<LabAnswer<"eventPipeline">>;
  shards: ShardHealth[];
}

export function OperationsDashboard({ slos, events, shards }: OperationsReadings) {
  const backlog = new Map(events.ok ? events.value.outboxBacklog.map((b) => [b.shard, b.unpublished]) : []);
  return (
    <>
      <p className="subtitle">
        The lab&apos;s health from the SRE&apos;s chair. The full board is at <a href="/slos">SLOs</a>; drills at <a href="/drills">Drills</a>.
      </p>
      <div className="panel-grid">
        <JourneysPanel reading={slos} />
        <EventPipelinePanel reading={events} />
      </div>
      <Panel id="shard-health" title="Shard health">
        <Table label="Shard health" columns={["Shard", "Database", "Answers in", "Takes writes", "Patients", "Outbox unpublished"]} rows={shards}>
          {(s) => (
            <tr key={s.shard} data-shard={s.shard}>
              <th scope="row">{s.label}</th>
              <td>
                <span className={`state state-${s.reachable ? "ready" : "failed"}`}>{s.reachable ? "reachable" : `unreachable: ${s.error}`}</span>
              </td>
              <td>{s.reachable ? `${s.latencyMs.toFixed(1)} ms` : ""}</td>
              <td>
                {s.takesWrites === null ? (
                  ""
                ) : (
                  <span className={`state state-${s.takesWrites ? "ready" : "failed"}`}>{s.takesWrites ? "yes" : `no: ${s.writeError}`}</span>
                )}
              </td>
              <td>{s.patients?.toLocaleString("en-US") ?? ""}</td>
              <td>{backlog.get(s.shard)?.toLocaleString("en-US") ?? "unknown"}</td>
            </tr>
          )}
        </Table>
      </Panel>
    </>
  );
}
