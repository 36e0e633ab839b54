// What both the player's page and the instructor's show of an exercise: the hints given, and at the end
// the score (the points, the summary, each part of it; times from the first fault's injection).
import { describeEntity, describeMitigation } from "@/lib/exercises/exercise-catalog.ts";
import type { ExerciseRun } from "@/lib/exercises/exercise-run.ts";
import { type ExerciseScore, sloMinutes } from "@/lib/exercises/exercise-score.ts";

const secs = (n: number | null) => (n === null ? "never" : `${Math.floor(n / 60)} min ${n % 60} s`);

export function ExerciseScoreTable({ score }: { score: ExerciseScore }) {
  return (
    <>
      <p>
        <strong data-testid="score-points">{score.points} / 100</strong> · <span data-testid="score-summary">{score.summary}</span>
      </p>
      <table aria-label="Score">
        <tbody>
          <tr>
            <th scope="row">Acknowledged</th>
            <td>{score.acknowledged.at ? `after ${secs(score.acknowledged.afterSeconds)}` : "no"}</td>
          </tr>
          <tr>
            <th scope="row">Diagnosis</th>
            <td data-testid="score-diagnosis">
              {score.diagnosis.entity ? `${describeEntity(score.diagnosis.entity)}, ${score.diagnosis.faultClass}` : "none"}: entity{" "}
              {score.diagnosis.entityRight ? "right" : "wrong"}, class {score.diagnosis.classRight ? "right" : "wrong"}
            </td>
          </tr>
          <tr>
            <th scope="row">Right diagnosis after</th>
            <td>{secs(score.diagnosis.rightAfterSeconds)}</td>
          </tr>
          <tr>
            <th scope="row">Mitigated</th>
            <td data-testid="score-mitigated">
              {score.mitigation.withinSlo ? "yes" : "no"}
              {score.mitigation.lever && score.mitigation.afterSeconds !== null
                ? `: ${describeMitigation(score.mitigation.lever)} after ${secs(score.mitigation.afterSeconds)}`
                : ""}
            </td>
          </tr>
          <tr>
            <th scope="row">Levers on the wrong target</th>
            <td>{score.wrongTargetActions.length}</td>
          </tr>
          <tr>
            <th scope="row">Other SLOs out of objective</th>
            <td>{sloMinutes(score.collateralMinutes)}</td>
          </tr>
          <tr>
            <th scope="row">Hints</th>
            <td>{score.hints}</td>
          </tr>
          {score.falseAlarm ? (
            <tr>
              <th scope="row">False alarm</th>
              <td>an incident was declared on a healthy lab</td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </>
  );
}

/** The instructor's hints, oldest first, or the sentence that says there is none. */
export function HintList({ hints, label, empty }: { hints: ExerciseRun["hints"]; label: string; empty: string }) {
  if (hints.length === 0) return <p>{empty}</p>;
  return (
    <ol className="timeline" aria-label={label}>
      {hints.map((h, i) => (
        <li key={i}>
          <time dateTime={h.at}>{h.at.slice(11, 19)}</time> {h.text}
        </li>
      ))}
    </ol>
  );
}
