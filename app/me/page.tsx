// "My record": a patient's own record; other roles have no record of their own and go to the overview.
import { redirect } from "next/navigation";
import { currentActor } from "@/app/session.ts";

export const dynamic = "force-dynamic";

export default async function MyRecordPage() {
  const actor = await currentActor();
  if (!actor) redirect("/sign-in?callbackUrl=/me");
  redirect(actor.role === "patient" && actor.patientId ? `/patients/${actor.patientId}` : "/");
}
