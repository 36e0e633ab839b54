// The admin page's data jobs: start a generation or a replay, and see each job's state and its latest
// progress line (the page refreshes itself while one runs).
import { startDataJob } from "@/app/admin/actions.ts";
import type { Reading } from "@/lib/portal/reading.ts";
import { LiveRefresh } from "@/components/live-refresh.tsx";
import { PanelFrame } from "@/components/operations/panel-frame.tsx";
import type { DataJob } from "@/lib/supervisor/data-jobs.ts";
import { Table } from "@/components/table.tsx";

const describe = (job: DataJob) =>
  job.request.kind === "generate"
    ? `generate ${job.request.patients} patients (seed ${job.request.seed})`
    : `replay${job.request.since ? ` the last ${job.request.since}` : " from the beginning"}`;

export function DataJobsPanel({ reading, refused }: { reading: Reading<{ jobs: DataJob[] }>; refused: string | null }) {
  return (
    <PanelFrame id="jobs" title="Data generation and replay" reading={reading}>
      {({ jobs }) => (
        <>
          {jobs.some((j) => j.state === "running") ? <LiveRefresh everyMs={2000} /> : null}
          {refused ? (
            <p className="error-state" role="alert" data-testid="job-refused">
              Refused: {refused}
            </p>
          ) : null}
          <div className="job-forms">
            <form action={startDataJob} className="audit-filter" aria-label="Generate synthetic patients">
              <input type="hidden" name="kind" value="generate" />
              <label>
                Patients to add
                <input name="patients" type="number" min={1} max={100000} defaultValue={100} required />
              </label>
              <label>
                Seed
                <input name="seed" type="number" min={0} defaultValue={42} required />
              </label>
              <button type="submit">Generate</button>
            </form>
            <form action={startDataJob} className="audit-filter" aria-label="Replay the read models">
              <input type="hidden" name="kind" value="replay" />
              <label>
                Window (empty: from the beginning)
                <input name="since" placeholder="24h" pattern="[1-9][0-9]{0,3}[mhd]" />
              </label>
              <button type="submit">Replay and compare</button>
            </form>
          </div>
          {jobs.length === 0 ? (
            <p>
              No job yet. Generation adds synthetic patients to the shards (resumable, by seed); a replay rebuilds the read models from the event log and
              compares them with the live ones.
            </p>
          ) : (
            <Table label="Data jobs" columns={["Job", "State", "Started", "By", "Latest output"]} rows={jobs}>
              {(job) => (
                <tr key={job.id} data-job={job.id} data-state={job.state}>
                  <th scope="row">{describe(job)}</th>
                  <td>
                    <span className={`state state-${job.state === "succeeded" ? "ready" : job.state === "failed" ? "failed" : "starting"}`}>{job.state}</span>
                  </td>
                  <td>{job.startedAt.slice(11, 19)} UTC</td>
                  <td>{job.startedBy}</td>
                  <td className="log-message">{job.output.at(-1) ?? ""}</td>
                </tr>
              )}
            </Table>
          )}
        </>
      )}
    </PanelFrame>
  );
}
