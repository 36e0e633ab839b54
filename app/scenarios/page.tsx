// Scenarios: the instructor's scripted drills with narration cues. Each script with its steps, a button
// to start it (instructor, SRE), and the runs so far with their narratives.
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { startScenario } from "@/app/scenarios/actions.ts";
import { currentActor, readLab } from "@/app/session.ts";
import { NotForYourRole, Unreachable } from "@/components/page-states.tsx";
import { authorize } from "@/lib/auth/policy.ts";
import { labConfig } from "@/lib/data/lab-connection.ts";
import type { ScenarioConductor } from "@/lib/scenarios/scenario-conductor.ts";
import type { ScenarioRun } from "@/lib/scenarios/scenario-run.ts";

export const metadata: Metadata = { title: "Scenarios" };
export const dynamic = "force-dynamic";

type Catalog = { scenarios: ReturnType<ScenarioConductor["catalog"]> };

export default async function ScenariosPage({ searchParams }: { searchParams: Promise<{ refused?: string }> }) {
  const actor = await currentActor();
  if (!actor) redirect("/sign-in?callbackUrl=/scenarios");
  if (!authorize(actor, "ops.read").allowed) return <NotForYourRole what="Scenarios" role={actor.role} />;
  const base = `http://127.0.0.1:${labConfig().drills.port}/_lab/scenarios`;
  let catalog: Catalog;
  let runs: ScenarioRun[];
  try {
    [catalog, { runs }] = await Promise.all([readLab<Catalog>(`${base}/catalog`, actor, "drill engine"), readLab<{ runs: ScenarioRun[] }>(`${base}/runs`, actor, "drill engine")]);
  } catch (err) {
    return <Unreachable title="The scenarios cannot be read right now" error={err} />;
  }
  const { refused } = await searchParams;
  const mayRun = authorize(actor, "drill.run").allowed;
  const running = runs.find((r) => r.status === "running");
  return (
    <>
      <h1>Scenarios</h1>
      <p className="subtitle">
        {catalog.scenarios.length} scripted sequences of drills with narration cues ·{" "}
        {running ? (
          <>
            running now: <a href={`/scenarios/${running.id}`}>{running.title}</a>
          </>
        ) : (
          "none running"
        )}
      </p>
      {refused && (
        <p className="panel error-state" role="alert">
          Not started: {refused}
        </p>
      )}
      {catalog.scenarios.map((s) => (
        <section key={s.name} className="panel" aria-labelledby={`scenario-${s.name}`} data-scenario={s.name}>
          <h2 id={`scenario-${s.name}`}>{s.title}</h2>
          <p>{s.description}</p>
          <ol className="script">
            {s.steps.map((step, i) => (
              <li key={i}>
                <span className="time">+{step.afterSeconds} s</span> {step.cue}
                {step.drill && (
                  <span className="badge">
                    {step.drill.drill}, {step.drill.durationSeconds} s
                  </span>
                )}
              </li>
            ))}
          </ol>
          <p className="facts-line">
            Watches {s.watch.join(", ")} · {Math.round(s.durationSeconds / 60)} min
          </p>
          {mayRun && (
            <form action={startScenario}>
              <input type="hidden" name="scenario" value={s.name} />
              <button type="submit" disabled={running !== undefined} aria-label={`Start the ${s.title} scenario`}>
                Start
              </button>
            </form>
          )}
        </section>
      ))}
      <section className="panel" aria-labelledby="runs-heading">
        <h2 id="runs-heading">Runs</h2>
        {runs.length === 0 ? (
          <p>No scenario has run yet{mayRun ? ": start one above; its narrative builds as it plays" : ""}.</p>
        ) : (
          <table aria-label="Scenario runs">
            <thead>
              <tr>
                <th scope="col">Scenario</th>
                <th scope="col">Status</th>
                <th scope="col">Started</th>
                <th scope="col">By</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    <a href={`/scenarios/${r.id}`}>{r.title}</a>
                  </th>
                  <td>{r.status}</td>
                  <td>{r.startedAt.replace("T", " ").slice(0, 19)} UTC</td>
                  <td>{r.startedBy}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
