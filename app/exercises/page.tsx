// Exercises, the game master's page: every exercise of the catalog with its hidden part and truth, a
// button to start it, and the runs so far with their scores. One exercise runs at a time; its run page is
// the instructor's view of it (the clock, what the player did, the hint button, the end).
import type { Metadata } from "next";
import { startExercise } from "@/app/exercises/actions.ts";
import { openPage } from "@/app/page-access.tsx";
import { Panel } from "@/components/panel.tsx";
import { RowLink, Table } from "@/components/table.tsx";
import { describeEntity, isNoFault } from "@/lib/exercises/exercise-catalog.ts";
import { isOver } from "@/lib/exercises/exercise-run.ts";
import { PAGES } from "@/lib/portal/portal-pages.ts";

export const metadata: Metadata = { title: "Exercises" };
export const dynamic = "force-dynamic";

export default async function ExercisesPage({ searchParams }: { searchParams: Promise<{ refused?: string }> }) {
  const opened = await openPage(PAGES.exercises, "/exercises", {
    read: (lab) => Promise.all([lab.exerciseCatalog(), lab.exerciseRuns()]),
    unreachable: "The exercises cannot be read right now",
  });
  if (opened.answer) return opened.answer;
  const [{ exercises }, { runs }] = opened.value;
  const { refused } = await searchParams;
  const live = runs.find((r) => !isOver(r));
  return (
    <>
      <h1>Exercises</h1>
      <p className="subtitle">
        {exercises.length} on-call exercises, {exercises.filter(isNoFault).length} with nothing wrong ·{" "}
        {live ? (
          <>
            under way: <a href={`/exercises/${live.id}`}>{live.title}</a>
          </>
        ) : (
          "none under way"
        )}{" "}
        · the player signs in as Olive Demo (on call) and plays at <a href="/exercise">/exercise</a>
      </p>
      {refused && (
        <p className="panel error-state" role="alert">
          Not started: {refused}
        </p>
      )}
      <Panel id="catalog" title="Catalog">
        <Table label="Exercise catalog" columns={["Exercise", "What the player reads", "Hidden: what is wrong", "Faults", "Limit", ""]} rows={exercises}>
          {(e) => (
            <tr key={e.name} data-exercise={e.name}>
              <th scope="row">
                {e.title} <code>{e.name}</code>
              </th>
              <td>{e.briefing}</td>
              <td>
                {describeEntity(e.truth.entity)}, {e.truth.faultClass}
              </td>
              <td>{e.hidden.faults.map((f) => `${f.drill} at +${f.afterSeconds} s`).join(", ") || "none"}</td>
              <td>{Math.round(e.timeLimitSeconds / 60)} min</td>
              <td>
                <form action={startExercise}>
                  <input type="hidden" name="exercise" value={e.name} />
                  <button type="submit" disabled={live !== undefined} aria-label={`Start ${e.title} (${e.name})`}>
                    Start
                  </button>
                </form>
              </td>
            </tr>
          )}
        </Table>
      </Panel>
      <Panel id="runs" title="Runs">
        <Table
          label="Exercise runs"
          columns={["Exercise", "Status", "Started", "Score"]}
          rows={runs}
          empty={<>No exercise has been played yet: start one above.</>}
        >
          {(r) => (
            <tr key={r.id}>
              <RowLink href={`/exercises/${r.id}`}>{r.title}</RowLink>
              <td>{r.status}</td>
              <td>{r.startedAt.replace("T", " ").slice(0, 16)}</td>
              <td>{r.score ? `${r.score.points} / 100` : "-"}</td>
            </tr>
          )}
        </Table>
      </Panel>
    </>
  );
}
