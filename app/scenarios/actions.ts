"use server";
// The scenario pages' buttons: start a scenario, stop a run; as the signed-in persona, whose role the
// drill engine checks (drill.run). A refusal comes back to the page as its problem's detail.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { labAs } from "@/app/lab.ts";
import { currentActor } from "@/app/session.ts";
import { ScenarioRunId } from "@/lib/contracts/routes/drill-engine-routes.ts";
import { outcomeOf } from "@/lib/lab-client/lab-client.ts";

export async function startScenario(form: FormData): Promise<void> {
  const actor = await currentActor();
  if (!actor) redirect("/sign-in?callbackUrl=/scenarios");
  const answer = await outcomeOf(labAs(actor).startScenario({ body: { scenario: String(form.get("scenario") ?? "") } }));
  if (answer.ok) redirect(`/scenarios/${answer.value.id}`);
  redirect(`/scenarios?refused=${encodeURIComponent(answer.error.message)}`);
}

export async function stopScenario(form: FormData): Promise<void> {
  const actor = await currentActor();
  if (!actor) redirect("/sign-in?callbackUrl=/scenarios");
  const runId = String(form.get("runId") ?? "");
  if (!ScenarioRunId.safeParse(runId).success) redirect("/scenarios");
  await outcomeOf(labAs(actor).stopScenario({ params: { runId } }));
  revalidatePath(`/scenarios/${runId}`);
}
