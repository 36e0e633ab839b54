// "My record": a patient's own record; other roles have no record of their own and go to the overview.
import { redirect } from "next/navigation";
import { openPage } from "@/app/page-access.tsx";
import { PAGES } from "@/lib/portal/portal-pages.ts";

export const dynamic = "force-dynamic";

export default async function MyRecordPage() {
  const { actor } = await openPage(PAGES.me, "/me");
  redirect(actor.role === "patient" && actor.patientId ? `/patients/${actor.patientId}` : "/");
}
