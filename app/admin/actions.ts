"use server";
// The admin page's data jobs: generate synthetic patients, replay the read models; each as the signed-in
// persona, whose role the supervisor checks (data.generate, data.replay). A refusal comes back to the page
// with the problem's detail.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { labAs } from "@/app/lab.ts";
import { currentActor } from "@/app/session.ts";
import { outcomeOf } from "@/lib/lab-client/lab-client.ts";
import type { DataJobRequest } from "@/lib/supervisor/data-jobs.ts";

export async function startDataJob(form: FormData): Promise<void> {
  const actor = await currentActor();
  if (!actor) redirect("/sign-in?callbackUrl=/admin");
  const kind = String(form.get("kind") ?? "");
  const whole = (name: string) => (/^\d{1,9}$/.test(String(form.get(name) ?? "")) ? Number(form.get(name)) : String(form.get(name) ?? ""));
  const since = String(form.get("since") ?? "").trim();
  // Sent as the form filled it: the supervisor's schema names whatever is wrong.
  const request = (kind === "generate" ? { kind, patients: whole("patients"), seed: whole("seed") } : { kind, ...(since ? { since } : {}) }) as DataJobRequest;
  const answer = await outcomeOf(labAs(actor).startDataJob({ body: request }));
  revalidatePath("/admin");
  if (answer.ok) redirect("/admin#jobs");
  const field = answer.error.field ? `&field=${encodeURIComponent(answer.error.field)}` : "";
  redirect(`/admin?refused=${encodeURIComponent(answer.error.message)}${field}#jobs`);
}
