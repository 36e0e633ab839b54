// "My dashboard": the lab from the signed-in persona's side. A patient sees their timeline and claims, a
// clinician their facility's census and open encounters, a billing admin the claims pipeline and denials,
// the operations roles (SRE, instructor, admin) SLOs by journey, the event pipeline and shard health.
import type { Metadata } from "next";
import { labAs } from "@/app/lab.ts";
import { openPage } from "@/app/page-access.tsx";
import { BillingDashboard } from "@/components/dashboards/billing-dashboard.tsx";
import { ClinicianDashboard } from "@/components/dashboards/clinician-dashboard.tsx";
import { OperationsDashboard } from "@/components/dashboards/operations-dashboard.tsx";
import { PatientDashboard } from "@/components/dashboards/patient-dashboard.tsx";
import { LiveRefresh } from "@/components/live-refresh.tsx";
import { ExercisePanel } from "@/components/operations/exercise-panel.tsx";
import { NotForYourRole } from "@/components/page-states.tsx";
import { authorize, rolesAllowedWords } from "@/lib/auth/policy.ts";
import type { Actor } from "@/lib/auth/roles.ts";
import { sharedLabDatabases } from "@/app/portal-connections.ts";
import { shardHealth } from "@/lib/data/shard-health.ts";
import { PAGES } from "@/lib/portal/portal-pages.ts";
import { settle } from "@/lib/portal/reading.ts";

export const metadata: Metadata = { title: "My dashboard" };
export const dynamic = "force-dynamic";

const TITLES = {
  patient: "My health record",
  clinician: "Clinic floor",
  billing: "Claims desk",
  sre: "SRE dashboard",
  oncall: "SRE dashboard",
  instructor: "SRE dashboard",
  admin: "SRE dashboard",
} as const;

export default async function DashboardPage() {
  const { actor } = await openPage(PAGES.dashboard, "/dashboard");
  return (
    <>
      <h1>{TITLES[actor.role]}</h1>
      <LiveRefresh everyMs={15_000} />
      {await dashboardOf(actor)}
    </>
  );
}

/** Each persona's dashboard, with what it shows read here as that persona. */
async function dashboardOf(actor: Actor) {
  const lab = labAs(actor);
  switch (actor.role) {
    case "patient": {
      const own = actor.patientId ?? "";
      const [timeline, claims] = await Promise.all([
        settle(lab.timelineDashboard({ params: { patientId: own }, query: { limit: 30 } })),
        settle(lab.patientClaims({ params: { patientId: own }, query: { limit: 20 } })),
      ]);
      return <PatientDashboard own={own} timeline={timeline} claims={claims} />;
    }
    case "clinician":
      return <ClinicianDashboard actor={actor} census={await settle(lab.censusDashboard({ query: { limit: 25 } }))} />;
    case "billing":
      return <BillingDashboard pipeline={await settle(lab.claimsDashboard())} />;
    default: {
      if (!authorize(actor, "ops.read").allowed) return <NotForYourRole what="The SRE dashboard" role={actor.role} forRoles={rolesAllowedWords("ops.read")} />;
      const [slos, events, shards, exercises] = await Promise.all([
        settle(lab.slos()),
        settle(lab.eventPipeline()),
        sharedLabDatabases().then(shardHealth),
        // The game master's dashboard leads with the exercise under way.
        authorize(actor, "exercise.run").allowed ? settle(lab.exerciseRuns().then((r) => r.runs)) : null,
      ]);
      return (
        <>
          {exercises ? <ExercisePanel reading={exercises} /> : null}
          <OperationsDashboard slos={slos} events={events} shards={shards} />
        </>
      );
    }
  }
}
