// The persona traffic the lab runs: the simulator's profile and, per journey, what it offered and how it
// fared (from the due time: CO-corrected), with a form to change the profile (SRE, instructor).
import type { Metadata } from "next";
import { openPage } from "@/app/page-access.tsx";
import { changeTraffic } from "@/app/traffic/actions.ts";
import { authorize } from "@/lib/auth/policy.ts";
import { PAGES } from "@/lib/portal/portal-pages.ts";
import { Table } from "@/components/table.tsx";
import { Panel } from "@/components/panel.tsx";

export const metadata: Metadata = { title: "Traffic" };
export const dynamic = "force-dynamic";

export default async function TrafficPage() {
  const opened = await openPage(PAGES.traffic, "/traffic", { read: (lab) => lab.traffic(), unreachable: "The simulator cannot be reached" });
  if (opened.answer) return opened.answer;
  const { actor, value: status } = opened;
  const run = status.running;
  const mayChange = authorize(actor, "traffic.control").allowed;
  return (
    <>
      <h1>Traffic</h1>
      <p className="subtitle" data-testid="traffic-state">
        {run
          ? `${run.profile}: ${run.total.started} journeys in ${Math.round(run.elapsedSeconds)} s (offered ${run.offeredPerSecond}/s), started by ${run.startedBy}`
          : status.warmingUp
            ? `Warming up: ${status.warmingUp.profile} starts once warm-up users have walked its journeys for ${status.warmingUp.seconds} s (since ${status.warmingUp.since.slice(11, 19)} UTC); their requests do not count toward the SLOs.`
            : "No traffic is running."}
      </p>
      {mayChange && (
        <Panel id="change" title="Change the traffic">
          <form action={changeTraffic}>
            <label htmlFor="profile">Profile</label>{" "}
            <select id="profile" name="profile" defaultValue={run?.profile ?? "steady-demo"}>
              {status.profiles.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.name}: {p.description}
                </option>
              ))}
              <option value="off">off: stop the traffic</option>
            </select>{" "}
            <button type="submit">Apply</button>
          </form>
        </Panel>
      )}
      {run && (
        <Panel id="journeys" title="Journeys">
          <Table
            label="Journeys of the running profile"
            columns={["Journey", "Started", "OK", "Failed", "Late", "Dropped", "p99 ms (from due)", "p99 ms (raw)"]}
            rows={run.journeys}
          >
            {(j) => (
              <tr key={j.journey}>
                <th scope="row">{j.journey}</th>
                <td>{j.started}</td>
                <td>{j.succeeded}</td>
                <td>{j.failed}</td>
                <td>{j.late}</td>
                <td>{j.dropped}</td>
                <td>{j.requests ? j.requestMs.corrected.p99 : "-"}</td>
                <td>{j.requests ? j.requestMs.raw.p99 : "-"}</td>
              </tr>
            )}
          </Table>
        </Panel>
      )}
    </>
  );
}
