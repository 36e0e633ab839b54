"use server";
// The scenario pages' buttons: start a scenario, stop a run; as the signed-in persona, whose role the
// drill engine checks (drill.run). A refusal comes back to the page as its problem's detail.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { currentActor, writeLab } from "@/app/session.ts";
import { labConfig } from "@/lib/data/lab-connection.ts";

const scenarios = () => `http://127.0.0.1:${labConfig().drills.port}/_lab/scenarios`;

export async function startScenario(form: FormData): Promise<void> {
  const actor = await currentActor();
  if (!actor) redirect("/sign-in?callbackUrl=/scenarios");
  const answer = await writeLab(`${scenarios()}/runs`, actor, { scenario: String(form.get("scenario") ?? "") });
  if (answer.status === 201) redirect(`/scenarios/${String(answer.body.id)}`);
  redirect(`/scenarios?refused=${encodeURIComponent(String(answer.body.detail ?? `the drill engine answered ${answer.status}`))}`);
}

export async function stopScenario(form: FormData): Promise<void> {
  const actor = await currentActor();
  if (!actor) redirect("/sign-in?callbackUrl=/scenarios");
  const runId = String(form.get("runId") ?? "");
  if (!/^scn-[a-z0-9-]{1,60}$/.test(runId)) redirect("/scenarios");
  await writeLab(`${scenarios()}/runs/${runId}/stop`, actor);
  revalidatePath(`/scenarios/${runId}`);
}
