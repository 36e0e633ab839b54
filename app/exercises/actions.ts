"use server";
// The instructor's buttons on /exercises: start an exercise, give a hint, end a run; as the signed-in
// persona, whose role the conductor checks (exercise.run). A refusal comes back to the page as its detail.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { labAs } from "@/app/lab.ts";
import { currentActor } from "@/app/session.ts";
import { ExerciseRunId } from "@/lib/exercises/exercise-run.ts";
import { outcomeOf } from "@/lib/lab-client/lab-client.ts";

async function instructor() {
  const actor = await currentActor();
  if (!actor) redirect("/sign-in?callbackUrl=/exercises");
  return labAs(actor);
}

function runIdOf(form: FormData): string {
  const runId = String(form.get("runId") ?? "");
  if (!ExerciseRunId.safeParse(runId).success) redirect("/exercises");
  return runId;
}

export async function startExercise(form: FormData): Promise<void> {
  const answer = await outcomeOf((await instructor()).startExercise({ body: { exercise: String(form.get("exercise") ?? "") } }));
  if (answer.ok) redirect(`/exercises/${answer.value.id}`);
  redirect(`/exercises?refused=${encodeURIComponent(answer.error.message)}`);
}

export async function giveHint(form: FormData): Promise<void> {
  const runId = runIdOf(form);
  const answer = await outcomeOf((await instructor()).exerciseHint({ params: { runId }, body: { text: String(form.get("text") ?? "") } }));
  if (!answer.ok) redirect(`/exercises/${runId}?refused=${encodeURIComponent(answer.error.message)}`);
  revalidatePath(`/exercises/${runId}`);
  redirect(`/exercises/${runId}`);
}

export async function endExercise(form: FormData): Promise<void> {
  const runId = runIdOf(form);
  const answer = await outcomeOf((await instructor()).endExercise({ params: { runId } }));
  if (!answer.ok) redirect(`/exercises/${runId}?refused=${encodeURIComponent(answer.error.message)}`);
  revalidatePath(`/exercises/${runId}`);
  redirect(`/exercises/${runId}`);
}
