"use server";
// The traffic page's form: starts a profile (or stops the traffic) in the simulator as the signed-in
// persona; the simulator checks traffic.control and audits the change.
import { revalidatePath } from "next/cache";
import { currentActor, labBearer } from "@/app/session.ts";
import { labConfig } from "@/lib/data/lab-connection.ts";

export async function changeTraffic(form: FormData): Promise<void> {
  const actor = await currentActor();
  if (!actor) return;
  const profile = String(form.get("profile") ?? "");
  const url = `http://127.0.0.1:${labConfig().simulator.port}/_lab/traffic`;
  const headers = { authorization: await labBearer(actor), "content-type": "application/json" };
  // The simulator refuses a role without traffic.control and names a bad profile; the page shows the state after.
  await (profile === "off" ? fetch(url, { method: "DELETE", headers }) : fetch(url, { method: "PUT", headers, body: JSON.stringify({ profile }) })).catch(() => undefined);
  revalidatePath("/traffic");
}
