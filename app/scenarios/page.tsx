// Scenarios: the instructor's scripted drills with narration cues. Each script with its steps, a button
// to start it (instructor, SRE), and the runs so far with their narratives.
import type { Metadata } from "next";
import { openPage } from "@/app/page-access.tsx";
import { startScenario } from "@/app/scenarios/actions.ts";
import { authorize } from "@/lib/auth/policy.ts";
import { PAGES } from "@/lib/portal/portal-pages.ts";
import { RowLink, Table } from "@/components/table.tsx";
import { Panel } from "@/components/panel.tsx";

export const metadata: Metadata = { title: "Scenarios" };
export const dynamic = "force-dynamic";

export default async function ScenariosPage({ searchParams }: { searchParams: Promise<{ refused?: string }> }) {
  const opened = await openPage(PAGES.scenarios, "/scenarios", {
    read: (lab) => Promise.all([lab.scenarioCatalog(), lab.scenarioRuns()]),
    unreachable: "The scenarios cannot be read right now",
  });
  if (opened.answer) return opened.answer;
  const { actor } = opened;
  const [catalog, { runs }] = opened.value;
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
        <Table
          label="Scenario runs"
          columns={["Scenario", "Status", "Started", "By"]}
          rows={runs}
          empty={<>No scenario has run yet{mayRun ? ": start one above; its narrative builds as it plays" : ""}.</>}
        >
          {(r) => (
            <tr key={r.id}>
              <RowLink href={`/scenarios/${r.id}`}>{r.title}</RowLink>
              <td>{r.status}</td>
              <td>{r.startedAt.replace("T", " ").slice(0, 19)} UTC</td>
              <td>{r.startedBy}</td>
            </tr>
          )}
        </Table>
      </Panel>
    </>
  );
}
