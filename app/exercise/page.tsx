// The on-call player's page: the exercise under way as they may see it (its briefing, the clock, the
// instructor's hints, their own acts) and the acts they take through the lab; once it is over, the truth
// and the score. The levers are here too, exercise or not: an on-call person on a healthy lab may still
// pull one. The investigation itself happens where a real on-call person looks: SLOs, telemetry, the
// audit, the runbooks.
import type { Metadata } from "next";
import type { ReactNode } from "react";
import { actInExercise, pullLever } from "@/app/exercise/actions.ts";
import { labAs } from "@/app/lab.ts";
import { labConfig } from "@/app/portal-connections.ts";
import { openPage } from "@/app/page-access.tsx";
import { LiveRefresh } from "@/components/live-refresh.tsx";
import { Unreachable } from "@/components/page-states.tsx";
import { Panel } from "@/components/panel.tsx";
import { ExerciseScoreTable, HintList } from "@/components/exercise-score.tsx";
import { LeversPanel } from "@/components/levers-panel.tsx";
import { FAULT_CLASSES, describeEntity } from "@/lib/exercises/exercise-catalog.ts";
import { describeAct, isOver } from "@/lib/exercises/exercise-run.ts";
import { isLabError } from "@/lib/errors/index.ts";
import { entityOptions } from "@/lib/portal/exercise-forms.ts";
import { leverForms } from "@/lib/portal/oncall-levers.ts";
import { PAGES } from "@/lib/portal/portal-pages.ts";
import { settle } from "@/lib/portal/reading.ts";

export const metadata: Metadata = { title: "On call" };
export const dynamic = "force-dynamic";

const clock = (iso: string) => iso.slice(11, 19);

/** One of the player's acts as a form: the run and the act's type, and the act's own fields. */
function ActForm({ runId, type, label, children }: { runId: string; type: string; label: string; children: ReactNode }) {
  return (
    <form action={actInExercise} className="audit-filter" aria-label={label}>
      <input type="hidden" name="runId" value={runId} />
      <input type="hidden" name="type" value={type} />
      {children}
    </form>
  );
}

/** What the last act or lever came to: the lab's answer, or its refusal and the field it names. */
function Outcome({ pulled, refused, field }: { pulled?: string; refused?: string; field?: string }) {
  if (refused)
    return (
      <p className="panel error-state" role="alert" data-field={field}>
        Not taken{field ? ` (${field})` : ""}: {refused}
      </p>
    );
  if (pulled)
    return (
      <p className="panel" role="status" data-testid="lever-outcome">
        {pulled}
      </p>
    );
  return null;
}

export default async function ExercisePage({ searchParams }: { searchParams: Promise<{ refused?: string; field?: string; lever?: string; pulled?: string }> }) {
  const { actor, refusal } = await openPage(PAGES.exercise, "/exercise");
  if (refusal) return refusal;
  const { refused, field, lever, pulled } = await searchParams;
  const lab = labAs(actor);
  // The redrive lever's choices; read beside the exercise, and a projector that does not answer idles only that lever.
  const deadLetters = settle(lab.deadLetters({ query: { status: "dead" } }).then((d) => d.items));
  const levers = async () => (
    <LeversPanel
      levers={leverForms(actor.role, { shardCount: labConfig().shardCount, deadLetters: await deadLetters })}
      action={pullLever}
      refusedLever={refused ? lever : undefined}
    />
  );
  const outcome = <Outcome pulled={pulled} refused={refused} field={field} />;
  let view;
  try {
    view = await lab.exerciseBriefing();
  } catch (err) {
    if (!isLabError(err, "not_found")) return <Unreachable title="The exercise cannot be read right now" error={err} />;
    return (
      <>
        <h1>On call</h1>
        {outcome}
        <Panel id="no-exercise" title="No exercise under way">
          <p>
            When the instructor starts an exercise, its briefing is here: the page you were sent. Look at the lab as an on-call person would (
            <a href="/slos">SLOs</a>, <a href="/telemetry">telemetry</a>, <a href="/audit">the audit</a>, <a href="/runbooks">the runbooks</a>), and say here
            what you found and did.
          </p>
        </Panel>
        {await levers()}
      </>
    );
  }
  const over = isOver(view);
  const acknowledged = view.acts.some((a) => a.type === "acknowledge");
  return (
    <>
      <h1>On call: {view.title}</h1>
      <p className="subtitle" data-testid="exercise-clock">
        {over
          ? `Over since ${clock(view.endedAt ?? view.endsAt)} UTC`
          : `${view.status === "resolving" ? "Resolved, the SLIs are being watched" : "Under way"} · ${Math.floor(view.secondsLeft / 60)} min ${view.secondsLeft % 60} s left`}
      </p>
      {over ? null : <LiveRefresh everyMs={30_000} />}
      {outcome}
      <Panel id="briefing" title="The page">
        <p data-testid="briefing">{view.briefing}</p>
        <p className="facts-line">
          Started {clock(view.startedAt)} UTC · the runbooks: <a href="/runbooks">/runbooks</a> · the levers: <a href="/runbooks/levers">how to pull them</a>
        </p>
      </Panel>
      {view.debrief ? (
        <Panel id="debrief" title="Debrief">
          <p data-testid="truth">
            What was wrong: {describeEntity(view.debrief.truth.entity)}, {view.debrief.truth.faultClass}.
          </p>
          {view.debrief.score ? <ExerciseScoreTable score={view.debrief.score} /> : <p>Not scored.</p>}
          <p>
            <a href={`/api/exercises/runs/${view.id}/review?format=markdown`}>The post-incident review (Markdown)</a>
          </p>
        </Panel>
      ) : (
        <Panel id="act" title="What you do" className="exercise-acts">
          {!acknowledged && (
            <ActForm runId={view.id} type="acknowledge" label="Acknowledge">
              <button type="submit">Acknowledge the page</button>
            </ActForm>
          )}
          <ActForm runId={view.id} type="declare-incident" label="Declare an incident">
            <label>
              Incident summary
              <input name="summary" required maxLength={500} aria-invalid={field === "summary"} />
            </label>
            <button type="submit">Declare an incident</button>
          </ActForm>
          <ActForm runId={view.id} type="diagnose" label="Diagnose">
            <label>
              What is at fault
              <select name="entity" aria-invalid={field?.startsWith("entity")}>
                {entityOptions(labConfig().shardCount).map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Fault class
              <select name="faultClass" aria-invalid={field === "faultClass"}>
                {FAULT_CLASSES.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Notes
              <input name="notes" maxLength={2000} />
            </label>
            <button type="submit">Diagnose</button>
          </ActForm>
          <ActForm runId={view.id} type="resolve" label="Resolve">
            <label>
              What you did
              <input name="notes" maxLength={2000} />
            </label>
            <button type="submit">Resolve</button>
          </ActForm>
          <p className="facts-line">Mitigate with the levers below (the runbooks say which); the score reads them from the audit.</p>
        </Panel>
      )}
      {await levers()}
      <Panel id="hints" title="Hints">
        <HintList hints={view.hints} label="Hints" empty="No hint so far." />
      </Panel>
      <Panel id="acts" title="Your acts">
        {view.acts.length === 0 ? (
          <p>Nothing yet.</p>
        ) : (
          <ol className="timeline" aria-label="Your acts">
            {view.acts.map((a, i) => (
              <li key={i}>
                <time dateTime={a.at}>{clock(a.at)}</time> {describeAct(a)}
              </li>
            ))}
          </ol>
        )}
      </Panel>
    </>
  );
}
