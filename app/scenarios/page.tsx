// Scenarios: the instructor's scripted drills with narration cues. Each script with its steps, a button
// to start it (instructor, SRE), and the runs so far with their narratives.
import type { Metadata } from "next";
import { labAs } from "@/app/lab.ts";
import { openPage } from "@/app/page-access.tsx";
import { startScenario } from "@/app/scenarios/actions.ts";
import { Unreachable } from "@/components/page-states.tsx";
import { authorize } from "@/lib/auth/policy.ts";
import type { ScenarioCatalog } from "@/lib/contracts/routes/drill-engine-routes.ts";
import { PAGES } from "@/lib/portal/portal-pages.ts";
import type { ScenarioRun } from "@/lib/scenarios/scenario-run.ts";
import { TableHead } from "@/components/table-head.tsx";
import { Panel } from "@/components/panel.tsx";

export const metadata: Metadata = { title: "Scenarios" };
export const dynamic = "force-dynamic";

export default async function ScenariosPage({ searchParams }: { searchParams: Promise<{ refused?: string }> }) {
  const { actor, refusal } = await openPage(PAGES.scenarios, "/scenarios");
  if (refusal) return refusal;
  const lab = labAs(actor);
  let catalog: ScenarioCatalog;
  let runs: ScenarioRun[];
  try {
    [catalog, { runs }] = await Promise.all([lab.scenarioCatalog(), lab.scenarioRuns()]);
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
      <Panel id="runs" title="Runs">
        {runs.length === 0 ? (
          <p>No scenario has run yet{mayRun ? ": start one above; its narrative builds as it plays" : ""}.</p>
        ) : (
          <table aria-label="Scenario runs">
            <TableHead columns={["Scenario", "Status", "Started", "By"]} />
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
      </Panel>
    </>
  );
}
