"use server";
// The admin page's data jobs: generate synthetic patients, replay the read models; each as the signed-in
// persona, whose role the supervisor checks (data.generate, data.replay). A refusal comes back to the page
// with the problem's detail.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { currentActor, writeLab } from "@/app/session.ts";
import { labConfig } from "@/lib/data/lab-connection.ts";

const jobsUrl = () => `http://127.0.0.1:${labConfig().supervisorPort}/_lab/jobs`;

export async function startDataJob(form: FormData): Promise<void> {
  const actor = await currentActor();
  if (!actor) redirect("/sign-in?callbackUrl=/admin");
  const kind = String(form.get("kind") ?? "");
  const whole = (name: string) => (/^\d{1,9}$/.test(String(form.get(name) ?? "")) ? Number(form.get(name)) : String(form.get(name) ?? ""));
  const since = String(form.get("since") ?? "").trim();
  const request = kind === "generate" ? { kind, patients: whole("patients"), seed: whole("seed") } : { kind, ...(since ? { since } : {}) };
  const answer = await writeLab(jobsUrl(), actor, request);
  revalidatePath("/admin");
  if (answer.status === 202) redirect("/admin#jobs");
  const field = typeof answer.body.field === "string" ? `&field=${encodeURIComponent(answer.body.field)}` : "";
  redirect(`/admin?refused=${encodeURIComponent(String(answer.body.detail ?? `the supervisor answered ${answer.status}`))}${field}#jobs`);
}
