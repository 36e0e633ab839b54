// What a launch would do, as the drill engine's dry run says: each step's exact target (process, pid), when
// it starts, its deadline, its blast radius and abort conditions; and the button that launches exactly it.
import { launchDrill } from "@/app/drills/actions.ts";
import type { DryRun } from "@/lib/contracts/routes/drill-engine-routes.ts";
import { describeAbortCondition } from "@/lib/drills/abort-conditions.ts";
import type { LaunchBody } from "@/lib/portal/drill-launch-form.ts";
import { formatSeconds, utc } from "@/lib/portal/drill-runs-view.ts";
import { Table } from "@/components/table.tsx";
import { textColumn } from "@/components/table-head.tsx";

const list = (v: readonly (string | number)[] | "all") => (v === "all" ? "all" : v.join(", "));

export function DryRunPanel({ dry, request, query, nowMs }: { dry: DryRun; request: LaunchBody; query: string; nowMs: number }) {
  const scheduled = request.schedule !== undefined;
  const firstStart = scheduled && dry.starts[0] ? Date.parse(dry.starts[0]) : nowMs;
  return (
    <section className="panel dry-run" id="dry-run" aria-labelledby="dry-run-heading">
      <h2 id="dry-run-heading">Dry run: what launching would do</h2>
      <Table label="Targets of the drill" columns={["Step", textColumn("Action"), "Process", "PID"]} rows={dry.targets}>
        {(t, i) => (
          <tr key={i} data-target={t.process}>
            <th scope="row">{i + 1}</th>
            <td className="text">{t.description}</td>
            <td>{t.process}</td>
            <td data-pid>{t.pid ?? "not running"}</td>
          </tr>
        )}
      </Table>
      <dl className="facts">
        <dt>Starts</dt>
        <dd>{scheduled ? dry.starts.map(utc).join("; ") : "at once"}</dd>
        <dt>Duration</dt>
        <dd>{formatSeconds(dry.durationSeconds)}</dd>
        <dt>Deadline</dt>
        <dd data-testid="dry-run-deadline">
          {formatSeconds(dry.deadlineSeconds)} after the start ({scheduled ? "" : "if launched now: "}
          {utc(new Date(firstStart + dry.deadlineSeconds * 1000).toISOString())}): the supervisor reverts whatever is left
        </dd>
        <dt>Rollback</dt>
        <dd>{dry.rollback === "always" ? "always, at the end" : "on deviation: the change is kept unless an abort condition fires"}</dd>
        <dt>Blast radius</dt>
        <dd>
          services {list(dry.radius.services)}; shards {list(dry.radius.shards)}; personas {list(dry.radius.personas)}
        </dd>
        <dt>Abort when</dt>
        <dd>
          {dry.abortWhen.length === 0
            ? "no condition: it runs its duration unless aborted"
            : dry.abortWhen.map((c) => `${c.slo}: ${describeAbortCondition(c)}`).join("; ")}
        </dd>
      </dl>
      <form action={launchDrill}>
        <input type="hidden" name="drill" value={dry.drill} />
        <input type="hidden" name="request" value={JSON.stringify(request)} />
        <input type="hidden" name="query" value={query} />
        <button type="submit" className="primary">
          {scheduled ? "Schedule" : "Launch"}
        </button>
      </form>
    </section>
  );
}
