// The instructor's dashboard panel: the exercise under way (its clock, the hidden truth, what the player
// has done so far) with a link to its run page for hints and the end, or where to start one.
import type { Reading } from "@/lib/portal/reading.ts";
import { type ExerciseRun, describeAct, isOver } from "@/lib/exercises/exercise-run.ts";
import { PanelFrame } from "./panel-frame.tsx";

export function ExercisePanel({ reading }: { reading: Reading<ExerciseRun[]> }) {
  return (
    <PanelFrame id="exercise" title="Exercise" reading={reading}>
      {(runs) => {
        const live = runs.find((r) => !isOver(r));
        if (!live) {
          const last = runs[0];
          return (
            <p>
              No exercise under way. Start one from <a href="/exercises">Exercises</a>
              {last ? (
                <>
                  ; the last, <a href={`/exercises/${last.id}`}>{last.title}</a>, scored {last.score ? `${last.score.points} / 100` : "nothing"}
                </>
              ) : null}
              .
            </p>
          );
        }
        const left = Math.max(0, Math.round((Date.parse(live.endsAt) - Date.now()) / 60_000));
        const lastAct = live.acts.at(-1);
        return (
          <p data-testid="exercise-under-way">
            <a href={`/exercises/${live.id}`}>{live.title}</a> · {live.status}, {left} min left · {live.acts.length} act(s) by the player
            {lastAct ? `, last: ${describeAct(lastAct)}` : ""} · {live.hints.length} hint(s) · injected: {live.faults.filter((f) => f.launchedAt).length} of{" "}
            {live.faults.length}
          </p>
        );
      }}
    </PanelFrame>
  );
}
