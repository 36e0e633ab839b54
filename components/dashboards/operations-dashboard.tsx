// The SRE's dashboard (also the instructor's and admin's): the SLO board by journey, the event pipeline
// (outbox backlog, consumer lag, dead letters) and each shard's health: reachable, its rows, its backlog.
import { readEventPipeline, readSloReport } from "@/app/operations-reads.ts";
import { EventPipelinePanel } from "@/components/operations/event-pipeline-panel.tsx";
import { JourneysPanel } from "@/components/operations/journeys-panel.tsx";
import type { Actor } from "@/lib/auth/roles.ts";
import { sharedLabDatabases } from "@/lib/data/lab-connection.ts";
import { shardHealth } from "@/lib/data/shard-health.ts";

export async function OperationsDashboard({ actor }: { actor: Actor }) {
  const [slos, events, shards] = await Promise.all([readSloReport(actor), readEventPipeline(actor), sharedLabDatabases().then(shardHealth)]);
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
      <section className="panel" aria-labelledby="shard-health-heading">
        <h2 id="shard-health-heading">Shard health</h2>
        <table aria-label="Shard health">
          <thead>
            <tr>
              <th scope="col">Shard</th>
              <th scope="col">Database</th>
              <th scope="col">Answers in</th>
              <th scope="col">Patients</th>
              <th scope="col">Outbox unpublished</th>
            </tr>
          </thead>
          <tbody>
            {shards.map((s) => (
              <tr key={s.shard} data-shard={s.shard}>
                <th scope="row">{s.label}</th>
                <td>
                  <span className={`state state-${s.reachable ? "ready" : "failed"}`}>{s.reachable ? "reachable" : `unreachable: ${s.error}`}</span>
                </td>
                <td>{s.reachable ? `${s.latencyMs.toFixed(1)} ms` : ""}</td>
                <td>{s.patients?.toLocaleString("en-US") ?? ""}</td>
                <td>{backlog.get(s.shard)?.toLocaleString("en-US") ?? "unknown"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
