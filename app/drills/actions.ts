"use server";
// The drills pages' buttons: launch a reviewed request, abort a run, the emergency stop; each as the
// signed-in persona, whose role the drill engine checks (drill.run). A refusal comes back to the page as
// its problem's detail and field.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { DRILL_KEY, RUN_ID, drillEngine } from "@/app/drills/drill-engine-api.ts";
import { currentActor, writeLab } from "@/app/session.ts";

const refusal = (answer: { status: number; body: Record<string, unknown> }) => String(answer.body.detail ?? `the drill engine answered ${answer.status}`);

/** Launches exactly the request the dry run showed; a refusal returns to the form as it was filled. */
export async function launchDrill(form: FormData): Promise<void> {
  const key = String(form.get("drill") ?? "");
  if (!DRILL_KEY.test(key)) redirect("/drills");
  const actor = await currentActor();
  if (!actor) redirect(`/sign-in?callbackUrl=/drills/${key}`);
  const back = new URLSearchParams(String(form.get("query") ?? ""));
  back.delete("refused");
  back.delete("field");
  let request: unknown;
  try {
    request = JSON.parse(String(form.get("request") ?? ""));
  } catch {
    request = null;
  }
  const answer = request === null ? { status: 400, body: { detail: "the reviewed request could not be read: dry-run it again" } } : await writeLab(`${drillEngine()}/runs`, actor, request);
  if (answer.status === 201) {
    revalidatePath("/drills");
    redirect(`/drills/runs/${String(answer.body.id)}`);
  }
  back.set("refused", refusal(answer));
  if (typeof answer.body.field === "string") back.set("field", answer.body.field);
  redirect(`/drills/${key}?${back.toString()}`);
}

/** Aborts a running run (cancels a scheduled one, rolls back a kept rollout); back to the page it came from. */
export async function abortDrillRun(form: FormData): Promise<void> {
  const runId = String(form.get("runId") ?? "");
  const page = form.get("from") === "run" && RUN_ID.test(runId) ? `/drills/runs/${runId}` : "/drills";
  const actor = await currentActor();
  if (!actor) redirect(`/sign-in?callbackUrl=${page}`);
  if (!RUN_ID.test(runId)) redirect("/drills");
  const answer = await writeLab(`${drillEngine()}/runs/${runId}/abort`, actor);
  revalidatePath("/drills");
  if (answer.status === 200) redirect(page);
  redirect(`${page}?refused=${encodeURIComponent(refusal(answer))}`);
}

/** Ends every live drill and has the supervisor revert every lease it holds. */
export async function emergencyStopDrills(): Promise<void> {
  const actor = await currentActor();
  if (!actor) redirect("/sign-in?callbackUrl=/drills");
  const answer = await writeLab(`${drillEngine()}/emergency-stop`, actor);
  revalidatePath("/drills");
  if (answer.status === 200) redirect(`/drills?stopped=${Array.isArray(answer.body.ended) ? answer.body.ended.length : 0}`);
  redirect(`/drills?refused=${encodeURIComponent(refusal(answer))}`);
}
