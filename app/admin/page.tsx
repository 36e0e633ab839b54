// Admin: the data tier's shape and its jobs. The shard map (buckets per shard, moved and moving buckets),
// where a patient id routes, and the data jobs (generate synthetic patients, replay the read models) run by
// the supervisor with their progress.
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { DataJobsPanel } from "@/app/admin/data-jobs-panel.tsx";
import { readDataJobs } from "@/app/operations-reads.ts";
import { currentActor } from "@/app/session.ts";
import { NotForYourRole } from "@/components/page-states.tsx";
import { authorize } from "@/lib/auth/policy.ts";
import { labConfig, sharedLabDatabases } from "@/lib/data/lab-connection.ts";
import { shardHealth } from "@/lib/data/shard-health.ts";
import { locatePatient, shardMapView } from "@/lib/portal/shard-map-view.ts";

export const metadata: Metadata = { title: "Admin" };
export const dynamic = "force-dynamic";

const PATIENT_ID = /^pat-[A-Za-z0-9-]{1,80}$/;
const list = (buckets: number[]) => (buckets.length === 0 ? "none" : buckets.length > 12 ? `${buckets.slice(0, 12).join(", ")} and ${buckets.length - 12} more` : buckets.join(", "));

export default async function AdminPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await currentActor();
  if (!actor) redirect("/sign-in?callbackUrl=/admin");
  if (!authorize(actor, "reference.write").allowed) return <NotForYourRole what="The lab's administration" role={actor.role} forRoles="admins" />;
  const lab = await sharedLabDatabases();
  // The map as it is now: a bucket move by another process changes it.
  const [map, health] = await Promise.all([lab.reloadShardMap(), shardHealth(lab)]);
  const view = shardMapView(map);
  const params = await searchParams;
  const asked = typeof params.patientId === "string" ? params.patientId.trim() : "";
  const refused = typeof params.refused === "string" ? params.refused.slice(0, 300) : null;
  const jobs = await readDataJobs(actor);
  const located = PATIENT_ID.test(asked) ? locatePatient(map, asked) : null;
  return (
    <>
      <h1>Admin</h1>
      <p className="subtitle">
        {labConfig().shardCount} shards · 1,024 virtual buckets · a patient&apos;s bucket is the first 32 bits of the SHA-256 of their id
      </p>
      <section className="panel" aria-labelledby="shard-map-heading">
        <h2 id="shard-map-heading">Shard map</h2>
        <table aria-label="Shard map">
          <thead>
            <tr>
              <th scope="col">Shard</th>
              <th scope="col">Buckets</th>
              <th scope="col">Patients</th>
              <th scope="col">Moved in</th>
              <th scope="col">Moving now</th>
            </tr>
          </thead>
          <tbody>
            {view.map((s) => (
              <tr key={s.shard} data-shard={s.shard}>
                <th scope="row">shard-{s.shard}</th>
                <td>{s.buckets}</td>
                <td>{health[s.shard]?.patients?.toLocaleString("en-US") ?? "unreachable"}</td>
                <td>{list(s.movedIn)}</td>
                <td>{list(s.moving)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="panel" aria-labelledby="locate-heading">
        <h2 id="locate-heading">Where does a patient live?</h2>
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
      </section>
      <DataJobsPanel reading={jobs} refused={refused} />
      <section className="panel" aria-labelledby="commands-heading">
        <h2 id="commands-heading">From a terminal</h2>
        <p>The same jobs as commands, with a live progress bar, and the FHIR export.</p>
        <dl className="facts">
          <dt>Add synthetic patients</dt>
          <dd>npm run lab:generate -- --patients 1000 --seed 7</dd>
          <dt>Rebuild and compare the read models</dt>
          <dd>npm run lab:replay -- --since 24h</dd>
          <dt>Export FHIR bundles</dt>
          <dd>npm run lab:export:fhir</dd>
        </dl>
      </section>
    </>
  );
}
