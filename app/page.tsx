import { ShardTable } from "@/components/shard-table.tsx";
import { describeLocation } from "@/lib/data/lab-databases.ts";
import { labConfig, sharedLabDatabases } from "@/lib/data/lab-connection.ts";
import { labTopology } from "@/lib/data/lab-topology.ts";
import { shardStats } from "@/lib/data/shard-stats.ts";

// Counts change as the lab runs; render on every request.
export const dynamic = "force-dynamic";

export default async function OverviewPage() {
  const config = labConfig();
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
  const control = stats.control.rows;
  return (
    <>
      <h1>Lab overview</h1>
      <p className="subtitle">
        {config.mode === "embedded" ? "Embedded mode: one SQLite file per shard" : "Full mode: one PostgreSQL database per shard"} ·{" "}
        {config.shardCount} shards · 1,024 virtual buckets
      </p>
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
