// The overview: what an operator scans first (processes and their health, drills under way, SLOs per
// persona journey, the event pipeline's lag), then the shape of the data tier. Other personas see the
// data tier and a way to their own dashboard; nobody signed out sees more than row counts.
import { labAs } from "@/app/lab.ts";
import { viewerOf } from "@/app/page-access.tsx";
import { LiveRefresh } from "@/components/live-refresh.tsx";
import { ActiveDrillsPanel } from "@/components/operations/active-drills-panel.tsx";
import { EventPipelinePanel } from "@/components/operations/event-pipeline-panel.tsx";
import { JourneysPanel } from "@/components/operations/journeys-panel.tsx";
import { ProcessesPanel } from "@/components/operations/processes-panel.tsx";
import { ShardTable } from "@/components/shard-table.tsx";
import { authorize, rolesAllowedWords } from "@/lib/auth/policy.ts";
import { describeLocation } from "@/lib/data/lab-databases.ts";
import { labConfig, sharedLabDatabases } from "@/app/portal-connections.ts";
import { labTopology } from "@/lib/data/lab-topology.ts";
import { shardStats } from "@/lib/data/shard-stats.ts";
import { PAGES } from "@/lib/portal/portal-pages.ts";
import { settle } from "@/lib/portal/reading.ts";
import { Panel } from "@/components/panel.tsx";

// Counts change as the lab runs; render on every request.
export const dynamic = "force-dynamic";

export default async function OverviewPage() {
  const config = labConfig();
  const actor = await viewerOf(PAGES.overview);
  const operator = actor !== null && authorize(actor, "ops.read").allowed;
  // The drills under way are the lab's controls: an on-call player sees the lab, not what is done to it.
  const seesControls = actor !== null && authorize(actor, "controls.read").allowed;
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
  const lab = operator ? labAs(actor) : null;
  const [processes, drills, slos, events] = lab
    ? await Promise.all([
        settle(lab.processes()),
        seesControls ? settle(lab.drillRuns().then((r) => r.runs)) : null,
        settle(lab.slos()),
        settle(lab.eventPipeline()),
      ])
    : [];
  const control = stats.control.rows;
  return (
    <>
      <h1>Lab overview</h1>
      <p className="subtitle">
        {config.mode === "embedded" ? "Embedded mode: one SQLite file per shard" : "Full mode: one PostgreSQL database per shard"} · {config.shardCount} shards
        · 1,024 virtual buckets
      </p>
      {operator ? <LiveRefresh everyMs={15_000} /> : null}
      {!actor ? (
        <Panel id="start" title="Start here">
          <p>
            <a href="/sign-in">Sign in as one of the lab&apos;s personas</a>: an SRE watches SLO budgets burn and runs drills, an instructor plays scenarios, a
            patient, a clinician or a billing admin sees the lab from their side.
          </p>
        </Panel>
      ) : !operator ? (
        <Panel id="yours" title="Your view of the lab">
          <p>
            As a {actor.role} your dashboard is at <a href="/dashboard">My dashboard</a>; the lab&apos;s operations are for {rolesAllowedWords("ops.read")}.
          </p>
        </Panel>
      ) : null}
      {processes && slos && events ? (
        <div className="panel-grid">
          <ProcessesPanel reading={processes} />
          {drills ? <ActiveDrillsPanel reading={drills} /> : null}
          <JourneysPanel reading={slos} />
          <EventPipelinePanel reading={events} />
        </div>
      ) : null}
      <Panel id="shards" title="Shards">
        <ShardTable shards={stats.shards} />
      </Panel>
      <Panel id="control" title="Control database">
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
      </Panel>
    </>
  );
}
