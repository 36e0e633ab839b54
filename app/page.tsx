// The overview: what an operator scans first (processes and their health, drills under way, SLOs per
// persona journey, the event pipeline's lag), then the shape of the data tier. Other personas see the
// data tier and a way to their own dashboard; nobody signed out sees more than row counts.
import { readDrillRuns, readEventPipeline, readProcesses, readSloReport } from "@/app/operations-reads.ts";
import { currentActor } from "@/app/session.ts";
import { LiveRefresh } from "@/components/live-refresh.tsx";
import { ActiveDrillsPanel } from "@/components/operations/active-drills-panel.tsx";
import { EventPipelinePanel } from "@/components/operations/event-pipeline-panel.tsx";
import { JourneysPanel } from "@/components/operations/journeys-panel.tsx";
import { ProcessesPanel } from "@/components/operations/processes-panel.tsx";
import { ShardTable } from "@/components/shard-table.tsx";
import { authorize } from "@/lib/auth/policy.ts";
import { describeLocation } from "@/lib/data/lab-databases.ts";
import { labConfig, sharedLabDatabases } from "@/lib/data/lab-connection.ts";
import { labTopology } from "@/lib/data/lab-topology.ts";
import { shardStats } from "@/lib/data/shard-stats.ts";

// Counts change as the lab runs; render on every request.
export const dynamic = "force-dynamic";

export default async function OverviewPage() {
  const config = labConfig();
  const actor = await currentActor();
  const operator = actor !== null && authorize(actor, "ops.read").allowed;
  let stats: Awaited<ReturnType<typeof shardStats>>;
  try {
    stats = await shardStats(await sharedLabDatabases());
  } catch (err) {
    return (
      <section className="panel error-state" role="alert">
        <h1>The lab&apos;s databases cannot be read</h1>
        <p>{err instanceof Error ? err.message : String(err)}</p>
        <p>
          Start the lab with <code>npm run lab</code>, which migrates and seeds the databases before the portal starts.
        </p>
      </section>
    );
  }
  const [processes, drills, slos, events] = operator ? await Promise.all([readProcesses(actor), readDrillRuns(actor), readSloReport(actor), readEventPipeline(actor)]) : [];
  const control = stats.control.rows;
  return (
    <>
      <h1>Lab overview</h1>
      <p className="subtitle">
        {config.mode === "embedded" ? "Embedded mode: one SQLite file per shard" : "Full mode: one PostgreSQL database per shard"} ·{" "}
        {config.shardCount} shards · 1,024 virtual buckets
      </p>
      {operator ? <LiveRefresh everyMs={15_000} /> : null}
      {!actor ? (
        <section className="panel" aria-labelledby="start-heading">
          <h2 id="start-heading">Start here</h2>
          <p>
            <a href="/sign-in">Sign in as one of the lab&apos;s personas</a>: an SRE watches SLO budgets burn and runs drills, an instructor plays scenarios, a patient, a
            clinician or a billing admin sees the lab from their side.
          </p>
        </section>
      ) : !operator ? (
        <section className="panel" aria-labelledby="yours-heading">
          <h2 id="yours-heading">Your view of the lab</h2>
          <p>
            As a {actor.role} your dashboard is at <a href="/dashboard">My dashboard</a>; the lab&apos;s operations are for SREs, instructors and admins.
          </p>
        </section>
      ) : null}
      {processes && drills && slos && events ? (
        <div className="panel-grid">
          <ProcessesPanel reading={processes} />
          <ActiveDrillsPanel reading={drills} />
          <JourneysPanel reading={slos} />
          <EventPipelinePanel reading={events} />
        </div>
      ) : null}
      <section className="panel" aria-labelledby="shards-heading">
        <h2 id="shards-heading">Shards</h2>
        <ShardTable shards={stats.shards} />
      </section>
      <section className="panel" aria-labelledby="control-heading">
        <h2 id="control-heading">Control database</h2>
        <dl className="facts">
          <dt>Facilities</dt>
          <dd data-count="facilities">{control.facilities ?? 0}</dd>
          <dt>Providers</dt>
          <dd data-count="providers">{control.providers ?? 0}</dd>
          <dt>Lab users (personas)</dt>
          <dd data-count="users">{control.users ?? 0}</dd>
          <dt>Location</dt>
          <dd>{describeLocation(labTopology(config).control)}</dd>
        </dl>
      </section>
    </>
  );
}
