// The persona dashboards' API on the projector, read from its read models: a facility's census and open
// encounters (clinician: own facility), the claims pipeline with its denial rate (billing and operations),
// a patient's recent activity (the patient; a clinician of their facility). Each answer carries `asOf`,
// the newest event the read models hold.
import { type Action, authorize } from "../../lib/auth/policy.ts";
import type { Actor } from "../../lib/auth/roles.ts";
import { PROJECTOR_ROUTES as R } from "../../lib/contracts/routes/projector-routes.ts";
import type { LabDatabases } from "../../lib/data/lab-databases.ts";
import { findPatient } from "../../lib/data/patients.ts";
import type { SqlDatabase } from "../../lib/data/sql-database.ts";
import { claimsPipeline, facilityCensus, openEncounters, patientTimeline, readModelsAsOf } from "../../lib/dashboards/dashboard-reads.ts";
import { LabError } from "../../lib/errors/index.ts";
import type { DeclaredRoutes } from "../common/declared-routes.ts";

/** The facility a request is about: the one asked for, else (for a role scoped to its own) the actor's. */
function facilityOf(actor: Actor, action: Action, asked: string | undefined): string | undefined {
  const decision = authorize(actor, action, { facilityId: asked });
  if (!decision.allowed) throw new LabError("forbidden", decision.reason, asked ? { field: "facilityId" } : {});
  return asked ?? (decision.grant.scope === "own-facility" ? (actor.facilityId ?? undefined) : undefined);
}

export function registerDashboardRoutes(routes: DeclaredRoutes, lab: LabDatabases, readModels: SqlDatabase): void {
  routes.serve(R.censusDashboard, async ({ actor, query }) => {
    const facilityId = facilityOf(actor, "dashboard.census", query.facilityId);
    const [facilities, open, asOf] = await Promise.all([
      facilityCensus(readModels, facilityId),
      facilityId ? openEncounters(readModels, facilityId, query.limit) : Promise.resolve([]),
      readModelsAsOf(readModels),
    ]);
    return { asOf, facilityId: facilityId ?? null, facilities, openEncounters: open };
  });

  routes.serve(R.claimsDashboard, async ({ actor, query }) => {
    const facilityId = facilityOf(actor, "dashboard.claims", query.facilityId);
    const [pipeline, asOf] = await Promise.all([claimsPipeline(readModels, facilityId), readModelsAsOf(readModels)]);
    return { asOf, facilityId: facilityId ?? null, ...pipeline };
  });

  routes.serve(R.timelineDashboard, async ({ actor, params, query }) => {
    const { patientId } = params;
    // The patient's facility from their shard (seeded patients have no PatientRegistered event to ask).
    const facilityId = (await findPatient(lab, patientId))?.facilityId;
    const decision = authorize(actor, "dashboard.timeline", { patientId, facilityId });
    // No such patient and not one's own read alike: a refusal must not tell which patients exist.
    if (!decision.allowed || (decision.grant.scope === "own-facility" && !facilityId))
      throw new LabError("forbidden", decision.allowed ? "the patient is not registered at your facility" : decision.reason);
    const [entries, asOf] = await Promise.all([patientTimeline(readModels, patientId, query.limit), readModelsAsOf(readModels)]);
    return { asOf, patientId, entries };
  });
}
