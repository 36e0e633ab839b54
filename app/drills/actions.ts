"use server";
// The drills pages' buttons: launch a reviewed request, abort a run, the emergency stop; each as the
// signed-in persona, whose role the drill engine checks (drill.run). A refusal comes back to the page as
// its problem's detail and field.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { labAs } from "@/app/lab.ts";
import { currentActor } from "@/app/session.ts";
import { DrillRunId } from "@/lib/contracts/routes/drill-engine-routes.ts";
import type { DrillLaunch } from "@/lib/drills/drill-request.ts";
import { outcomeOf } from "@/lib/lab-client/lab-client.ts";

const DRILL_KEY = /^[a-z0-9-]{1,60}$/;
const isRunId = (id: string) => DrillRunId.safeParse(id).success;

/** Launches exactly the request the dry run showed; a refusal returns to the form as it was filled. */
export async function launchDrill(form: FormData): Promise<void> {
  const key = String(form.get("drill") ?? "");
  if (!DRILL_KEY.test(key)) redirect("/drills");
  const actor = await currentActor();
  if (!actor) redirect(`/sign-in?callbackUrl=/drills/${key}`);
  const back = new URLSearchParams(String(form.get("query") ?? ""));
  back.delete("refused");
  back.delete("field");
  let request: DrillLaunch | null;
  try {
    // The reviewed request as the dry run showed it; the engine validates it again.
    request = JSON.parse(String(form.get("request") ?? "")) as DrillLaunch;
  } catch {
    request = null;
  }
  if (request === null) {
    back.set("refused", "the reviewed request could not be read: dry-run it again");
    redirect(`/drills/${key}?${back.toString()}`);
  }
  const answer = await outcomeOf(labAs(actor).launchDrill({ body: request }));
  if (answer.ok) {
    revalidatePath("/drills");
    redirect(`/drills/runs/${answer.value.id}`);
  }
  back.set("refused", answer.error.message);
  if (answer.error.field) back.set("field", answer.error.field);
  redirect(`/drills/${key}?${back.toString()}`);
}

/** Aborts a running run (cancels a scheduled one, rolls back a kept rollout); back to the page it came from. */
export async function abortDrillRun(form: FormData): Promise<void> {
  const runId = String(form.get("runId") ?? "");
  const page = form.get("from") === "run" && isRunId(runId) ? `/drills/runs/${runId}` : "/drills";
  const actor = await currentActor();
  if (!actor) redirect(`/sign-in?callbackUrl=${page}`);
  if (!isRunId(runId)) redirect("/drills");
  const answer = await outcomeOf(labAs(actor).abortDrill({ params: { runId } }));
  revalidatePath("/drills");
  if (answer.ok) redirect(page);
  redirect(`${page}?refused=${encodeURIComponent(answer.error.message)}`);
}

/** Ends every live drill and has the supervisor revert every lease it holds. */
export async function emergencyStopDrills(): Promise<void> {
  const actor = await currentActor();
  if (!actor) redirect("/sign-in?callbackUrl=/drills");
  const answer = await outcomeOf(labAs(actor).drillEmergencyStop());
  revalidatePath("/drills");
  if (answer.ok) redirect(`/drills?stopped=${answer.value.ended.length}`);
  redirect(`/drills?refused=${encodeURIComponent(answer.error.message)}`);
}
