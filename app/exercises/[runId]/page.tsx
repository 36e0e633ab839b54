// One exercise run as its game master sees it: the clock, the hidden truth and faults (with their drill
// runs), the player's acts as they come, the hints given and a box for the next, the end button, and
// at the end the score and the post-incident review.
import type { Metadata } from "next";
import { endExercise, giveHint } from "@/app/exercises/actions.ts";
import { openPage } from "@/app/page-access.tsx";
import { ExerciseScoreTable, HintList } from "@/components/exercise-score.tsx";
import { LiveRefresh } from "@/components/live-refresh.tsx";
import { Panel } from "@/components/panel.tsx";
import { Table } from "@/components/table.tsx";
import { describeEntity, describeMitigation } from "@/lib/exercises/exercise-catalog.ts";
import { describeAct, isOver } from "@/lib/exercises/exercise-run.ts";
import { wholeMinutes } from "@/lib/exercises/exercise-score.ts";
import { PAGES } from "@/lib/portal/portal-pages.ts";

export const metadata: Metadata = { title: "Exercise run" };
export const dynamic = "force-dynamic";

const clock = (iso: string) => iso.slice(11, 19);

export default async function ExerciseRunPage({ params, searchParams }: { params: Promise<{ runId: string }>; searchParams: Promise<{ refused?: string }> }) {
  const { runId } = await params;
  const opened = await openPage(PAGES.exerciseRun, `/exercises/${runId}`, {
    read: (lab) => lab.exerciseRun({ params: { runId } }),
    unreachable: "The exercise run cannot be read right now",
    absentIsNotFound: true,
  });
  if (opened.answer) return opened.answer;
  const run = opened.value;
  const { refused } = await searchParams;
  const over = isOver(run);
  const left = Math.max(0, Math.round((Date.parse(run.endsAt) - Date.now()) / 1000));
  return (
    <>
      <p className="breadcrumb">
        <a href="/exercises">Exercises</a> / {run.id}
      </p>
      <h1>{run.title}</h1>
      <p className="subtitle" data-testid="exercise-status">
        {run.status} · started {clock(run.startedAt)} UTC by {run.startedBy}
        {over ? ` · ended ${clock(run.endedAt ?? run.endsAt)} (${run.endReason})` : ` · ${Math.floor(left / 60)} min ${left % 60} s left`}
      </p>
      {over ? null : <LiveRefresh everyMs={10_000} />}
      {refused && (
        <p className="panel error-state" role="alert">
          Refused: {refused}
        </p>
      )}
      <Panel id="truth" title="Hidden from the player">
        <p data-testid="hidden-truth">
          {describeEntity(run.truth.entity)}, {run.truth.faultClass} · expected alerts:{" "}
          {run.truth.expectedAlerts.map((a) => `${a.slo} (${a.tier})`).join(", ") || "none"} · accepted: {run.mitigations.map(describeMitigation).join(", ")}
        </p>
        <Table label="Hidden faults" columns={["Fault", "Due", "Injected", "Drill run"]} rows={run.faults} empty={<>This exercise injects nothing.</>}>
          {(f, i) => (
            <tr key={i}>
              <th scope="row">{f.drill}</th>
              <td>+{f.afterSeconds} s</td>
              <td>{f.launchedAt ? clock(f.launchedAt) : f.error ? `refused: ${f.error}` : "not yet"}</td>
              <td>{f.drillRunId ? <a href={`/drills/runs/${f.drillRunId}`}>{f.drillRunId}</a> : "-"}</td>
            </tr>
          )}
        </Table>
      </Panel>
      <Panel id="player" title="What the player did">
        {run.acts.length === 0 ? (
          <p>Nothing yet. Their levers show in the score at the end, read from the audit.</p>
        ) : (
          <ol className="timeline" aria-label="The player's acts">
            {run.acts.map((a, i) => (
              <li key={i}>
                <time dateTime={a.at}>{clock(a.at)}</time> {a.by}: {describeAct(a)}
              </li>
            ))}
          </ol>
        )}
      </Panel>
      <Panel id="hints" title="Hints">
        <HintList hints={run.hints} label="Hints given" empty="No hint given (each costs the player 5 points)." />
        {!over && (
          <form action={giveHint} className="hint-form" aria-label="Give a hint">
            <input type="hidden" name="runId" value={run.id} />
            <label>
              Hint
              <input name="text" required maxLength={1000} placeholder="Shown on the player's page, and costs them 5 points" />
            </label>
            <button type="submit">Give the hint</button>
          </form>
        )}
      </Panel>
      {!over && (
        <Panel id="end" title="End the exercise">
          <form action={endExercise} className="lever">
            <input type="hidden" name="runId" value={run.id} />
            <p>
              Ends it now rather than at its time limit: the faults are lifted, the usual traffic comes back and the player is scored from the audit. A lever
              counts as the mitigation once the faulty SLIs have held their SLO for {wholeMinutes(run.withinSloMinutes)} after it: end sooner and it cannot.
            </p>
            <button type="submit">End the exercise</button>
          </form>
        </Panel>
      )}
      {run.score ? (
        <Panel id="score" title="Score">
          <ExerciseScoreTable score={run.score} />
          <p>
            <a href={`/api/exercises/runs/${run.id}/review?format=markdown`}>The post-incident review (Markdown)</a>
          </p>
        </Panel>
      ) : null}
    </>
  );
}
