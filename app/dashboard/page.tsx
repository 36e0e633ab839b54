// "My dashboard": the lab from the signed-in persona's side. A patient sees their timeline and claims, a
// clinician their facility's census and open encounters, a billing admin the claims pipeline and denials,
// the operations roles (SRE, instructor, admin) SLOs by journey, the event pipeline and shard health.
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentActor } from "@/app/session.ts";
import { BillingDashboard } from "@/components/dashboards/billing-dashboard.tsx";
import { ClinicianDashboard } from "@/components/dashboards/clinician-dashboard.tsx";
import { OperationsDashboard } from "@/components/dashboards/operations-dashboard.tsx";
import { PatientDashboard } from "@/components/dashboards/patient-dashboard.tsx";
import { LiveRefresh } from "@/components/live-refresh.tsx";
import { NotForYourRole } from "@/components/page-states.tsx";
import { authorize } from "@/lib/auth/policy.ts";

export const metadata: Metadata = { title: "My dashboard" };
export const dynamic = "force-dynamic";

const TITLES = { patient: "My health record", clinician: "Clinic floor", billing: "Claims desk", sre: "SRE dashboard", instructor: "SRE dashboard", admin: "SRE dashboard" } as const;

export default async function DashboardPage() {
  const actor = await currentActor();
  if (!actor) redirect("/sign-in?callbackUrl=/dashboard");
  return (
    <>
      <h1>{TITLES[actor.role]}</h1>
      <LiveRefresh everyMs={15_000} />
      {actor.role === "patient" ? (
        <PatientDashboard actor={actor} />
      ) : actor.role === "clinician" ? (
        <ClinicianDashboard actor={actor} />
      ) : actor.role === "billing" ? (
        <BillingDashboard actor={actor} />
      ) : authorize(actor, "ops.read").allowed ? (
        <OperationsDashboard actor={actor} />
      ) : (
        <NotForYourRole what="The SRE dashboard" role={actor.role} />
      )}
    </>
  );
}
