"use server";
// The traffic page's form: starts a profile (or stops the traffic) in the simulator as the signed-in
// persona; the simulator checks traffic.control and audits the change.
import { revalidatePath } from "next/cache";
import { labAs } from "@/app/lab.ts";
import { currentActor } from "@/app/session.ts";
import { outcomeOf } from "@/lib/lab-client/lab-client.ts";

export async function changeTraffic(form: FormData): Promise<void> {
  const actor = await currentActor();
  if (!actor) return;
  const profile = String(form.get("profile") ?? "");
  const lab = labAs(actor);
  // The simulator refuses a role without traffic.control and names a bad profile; the page shows the state after.
  await outcomeOf(profile === "off" ? lab.stopTraffic() : lab.startTraffic({ body: { profile } }));
  revalidatePath("/traffic");
}
