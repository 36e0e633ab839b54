// The persona traffic the lab runs: the simulator's profile and, per journey, what it offered and how it
// fared (from the due time: CO-corrected), with a form to change the profile (SRE, instructor).
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { changeTraffic } from "@/app/traffic/actions.ts";
import { currentActor, readLab } from "@/app/session.ts";
import { NotForYourRole, Unreachable } from "@/components/page-states.tsx";
import { authorize } from "@/lib/auth/policy.ts";
import { labConfig } from "@/lib/data/lab-connection.ts";
import type { SimulationSnapshot } from "@/lib/simulator/simulation-run.ts";
import type { WarmUp } from "@/lib/simulator/simulator-control.ts";

export const metadata: Metadata = { title: "Traffic" };
export const dynamic = "force-dynamic";

type TrafficStatus = { running: (SimulationSnapshot & { startedBy: string }) | null; warmingUp: WarmUp | null; profiles: { name: string; description: string }[] };

export default async function TrafficPage() {
  const actor = await currentActor();
  if (!actor) redirect("/sign-in?callbackUrl=/traffic");
  if (!authorize(actor, "ops.read").allowed) return <NotForYourRole what="The lab's traffic" role={actor.role} />;
  let status: TrafficStatus;
  try {
    status = await readLab<TrafficStatus>(`http://127.0.0.1:${labConfig().simulator.port}/_lab/traffic`, actor, "simulator");
  } catch (err) {
    return <Unreachable title="The simulator cannot be reached" error={err} />;
  }
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
        <section className="panel" aria-labelledby="change-heading">
          <h2 id="change-heading">Change the traffic</h2>
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
        </section>
      )}
      {run && (
        <section className="panel" aria-labelledby="journeys-heading">
          <h2 id="journeys-heading">Journeys</h2>
          <table aria-label="Journeys of the running profile">
            <thead>
              <tr>
                <th scope="col">Journey</th>
                <th scope="col">Started</th>
                <th scope="col">OK</th>
                <th scope="col">Failed</th>
                <th scope="col">Late</th>
                <th scope="col">Dropped</th>
                <th scope="col">p99 ms (from due)</th>
                <th scope="col">p99 ms (raw)</th>
              </tr>
            </thead>
            <tbody>
              {run.journeys.map((j) => (
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
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
