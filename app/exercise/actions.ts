"use server";
// The player's buttons on /exercise: acknowledge, declare an incident, diagnose, resolve; as the signed-in
// persona, whose role the conductor checks (exercise.play). And the levers, pulled as that persona through
// the process that carries each, which checks the role and audits it (the score reads them from the audit).
// A refusal comes back to the page as its detail; a lever's outcome as what the lab answered.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { labAs } from "@/app/lab.ts";
import { currentActor } from "@/app/session.ts";
import { ExerciseRunId } from "@/lib/exercises/exercise-run.ts";
import { outcomeOf } from "@/lib/lab-client/lab-client.ts";
import { entityOfOption } from "@/lib/portal/exercise-forms.ts";
import { LeverPull, pull } from "@/lib/portal/oncall-levers.ts";

const text = (form: FormData, name: string) => String(form.get(name) ?? "");

export async function actInExercise(form: FormData): Promise<void> {
  const actor = await currentActor();
  if (!actor) redirect("/sign-in?callbackUrl=/exercise");
  const runId = text(form, "runId");
  if (!ExerciseRunId.safeParse(runId).success) redirect("/exercise");
  const type = text(form, "type");
  const body =
    type === "declare-incident"
      ? { type, summary: text(form, "summary") }
      : type === "diagnose"
        ? { type, entity: entityOfOption(text(form, "entity")), faultClass: text(form, "faultClass"), notes: text(form, "notes") }
        : type === "resolve"
          ? { type, notes: text(form, "notes") }
          : { type };
  // The conductor parses the act with the same schema: a bad value is a 400 naming its field.
  const answer = await outcomeOf(labAs(actor).exerciseAct({ params: { runId }, body: body as never }));
  if (!answer.ok) redirect(`/exercise?refused=${encodeURIComponent(answer.error.message)}&field=${encodeURIComponent(answer.error.field ?? "")}`);
  revalidatePath("/exercise");
  redirect("/exercise");
}

/** One lever of the Levers panel, on the target its form chose. */
export async function pullLever(form: FormData): Promise<void> {
  const actor = await currentActor();
  if (!actor) redirect("/sign-in?callbackUrl=/exercise");
  const lever = text(form, "lever");
  const posted = LeverPull.safeParse({ lever, target: form.get("target") ?? undefined });
  const answer = posted.success
    ? await outcomeOf(pull(labAs(actor), posted.data))
    : { ok: false as const, error: { message: posted.error.issues[0]!.message, field: posted.error.issues[0]!.path.join(".") } };
  revalidatePath("/exercise");
  if (answer.ok) redirect(`/exercise?pulled=${encodeURIComponent(answer.value)}`);
  const back = new URLSearchParams({ refused: answer.error.message, field: answer.error.field ?? "", lever });
  redirect(`/exercise?${back.toString()}`);
}
