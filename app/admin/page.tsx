// Admin: the data tier's shape and its jobs. The shard map (buckets per shard, moved and moving buckets),
// where a patient id routes, and the data jobs (generate synthetic patients, replay the read models) run by
// the supervisor with their progress.
import type { Metadata } from "next";
import { DataJobsPanel } from "@/app/admin/data-jobs-panel.tsx";
import { labAs } from "@/app/lab.ts";
import { openPage } from "@/app/page-access.tsx";
import { labConfig, sharedLabDatabases } from "@/app/portal-connections.ts";
import { PAGES } from "@/lib/portal/portal-pages.ts";
import { settle } from "@/lib/portal/reading.ts";
import { shardHealth } from "@/lib/data/shard-health.ts";
import { locatePatient, shardMapView } from "@/lib/portal/shard-map-view.ts";
import { Table } from "@/components/table.tsx";
import { Panel } from "@/components/panel.tsx";

export const metadata: Metadata = { title: "Admin" };
export const dynamic = "force-dynamic";

const PATIENT_ID = /^pat-[A-Za-z0-9-]{1,80}$/;
const list = (buckets: number[]) =>
  buckets.length === 0 ? "none" : buckets.length > 12 ? `${buckets.slice(0, 12).join(", ")} and ${buckets.length - 12} more` : buckets.join(", ");

export default async function AdminPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { actor, refusal } = await openPage(PAGES.admin, "/admin");
  if (refusal) return refusal;
  const lab = await sharedLabDatabases();
  // The map as it is now: a bucket move by another process changes it.
  const [map, health] = await Promise.all([lab.reloadShardMap(), shardHealth(lab)]);
  const view = shardMapView(map);
  const params = await searchParams;
  const asked = typeof params.patientId === "string" ? params.patientId.trim() : "";
  const refused = typeof params.refused === "string" ? params.refused.slice(0, 300) : null;
  const jobs = await settle(labAs(actor).dataJobs());
  const located = PATIENT_ID.test(asked) ? locatePatient(map, asked) : null;
  return (
    <>
      <h1>Admin</h1>
      <p className="subtitle">
        {labConfig().shardCount} shards · 1,024 virtual buckets · a patient&apos;s bucket is the first 32 bits of the SHA-256 of their id
      </p>
      <Panel id="shard-map" title="Shard map">
        <Table label="Shard map" columns={["Shard", "Buckets", "Patients", "Moved in", "Moving now"]} rows={view}>
          {(s) => (
            <tr key={s.shard} data-shard={s.shard}>
              <th scope="row">shard-{s.shard}</th>
              <td>{s.buckets}</td>
              <td>{health[s.shard]?.patients?.toLocaleString("en-US") ?? "unreachable"}</td>
              <td>{list(s.movedIn)}</td>
              <td>{list(s.moving)}</td>
            </tr>
          )}
        </Table>
      </Panel>
      <Panel id="locate" title="Where does a patient live?">
        <form method="get" className="audit-filter">
          <label>
            Patient id
            <input name="patientId" defaultValue={asked} placeholder="pat-…" />
          </label>
          <button type="submit">Locate</button>
        </form>
        {located ? (
          <p data-testid="patient-location">
            {asked} hashes to bucket {located.bucket}, owned by shard-{located.shard} ({located.state}).
          </p>
        ) : asked ? (
          <p className="error-state" role="alert">
            &quot;{asked.slice(0, 90)}&quot; is not a patient id (pat- and letters, digits or dashes).
          </p>
        ) : null}
      </Panel>
      <DataJobsPanel reading={jobs} refused={refused} />
      <Panel id="commands" title="From a terminal">
        <p>The same jobs as commands, with a live progress bar, and the FHIR export.</p>
        <dl className="facts">
          <dt>Add synthetic patients</dt>
          <dd>npm run lab:generate -- --patients 1000 --seed 7</dd>
          <dt>Rebuild and compare the read models</dt>
          <dd>npm run lab:replay -- --since 24h</dd>
          <dt>Export FHIR bundles</dt>
          <dd>npm run lab:export:fhir</dd>
        </dl>
      </Panel>
    </>
  );
}
