// The persona dashboards' API on the projector, read from its read models: a facility's census and open
// encounters (clinician: own facility), the claims pipeline with its denial rate (billing and operations),
// a patient's recent activity (the patient; a clinician of their facility). Each answer carries `asOf`,
// the newest event the read models hold.
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { type Action, authorize } from "../../lib/auth/policy.ts";
import type { Actor } from "../../lib/auth/roles.ts";
import type { TokenVerifier } from "../../lib/auth/tokens.ts";
import { FacilityId, PatientId } from "../../lib/clinical/contracts.ts";
import type { LabDatabases } from "../../lib/data/lab-databases.ts";
import { findPatient } from "../../lib/data/patients.ts";
import type { SqlDatabase } from "../../lib/data/sql-database.ts";
import { claimsPipeline, facilityCensus, openEncounters, patientTimeline, readModelsAsOf } from "../../lib/dashboards/dashboard-reads.ts";
import { LabError } from "../../lib/errors/index.ts";
import { authenticate, parseInput } from "../common/http-context.ts";

const Limit = z.coerce.number().int().min(1).max(200);
const CensusQuery = z.strictObject({ facilityId: FacilityId.optional(), limit: Limit.default(50) });
const ClaimsQuery = z.strictObject({ facilityId: FacilityId.optional() });
const TimelineParams = z.strictObject({ patientId: PatientId });
const TimelineQuery = z.strictObject({ limit: Limit.default(50) });

/** The facility a request is about: the one asked for, else (for a role scoped to its own) the actor's. */
function facilityOf(actor: Actor, action: Action, asked: string | undefined): string | undefined {
  const decision = authorize(actor, action, { facilityId: asked });
  if (!decision.allowed) throw new LabError("forbidden", decision.reason, asked ? { field: "facilityId" } : {});
  return asked ?? (decision.grant.scope === "own-facility" ? (actor.facilityId ?? undefined) : undefined);
}

export function registerDashboardRoutes(app: FastifyInstance, tokens: TokenVerifier, lab: LabDatabases, readModels: SqlDatabase): void {
  app.get("/_lab/dashboards/census", async (request) => {
    const actor = await authenticate(request, tokens);
    const query = parseInput(CensusQuery, request.query, "query");
    const facilityId = facilityOf(actor, "dashboard.census", query.facilityId);
    const [facilities, open, asOf] = await Promise.all([
      facilityCensus(readModels, facilityId),
      facilityId ? openEncounters(readModels, facilityId, query.limit) : Promise.resolve([]),
      readModelsAsOf(readModels),
    ]);
    return { asOf, facilityId: facilityId ?? null, facilities, openEncounters: open };
  });

  app.get("/_lab/dashboards/claims", async (request) => {
    const actor = await authenticate(request, tokens);
    const query = parseInput(ClaimsQuery, request.query, "query");
    const facilityId = facilityOf(actor, "dashboard.claims", query.facilityId);
    const [pipeline, asOf] = await Promise.all([claimsPipeline(readModels, facilityId), readModelsAsOf(readModels)]);
    return { asOf, facilityId: facilityId ?? null, ...pipeline };
  });

  app.get("/_lab/dashboards/timeline/:patientId", async (request) => {
    const actor = await authenticate(request, tokens);
    const { patientId } = parseInput(TimelineParams, request.params, "params");
    const { limit } = parseInput(TimelineQuery, request.query, "query");
    // The patient's facility from their shard (seeded patients have no PatientRegistered event to ask).
    const facilityId = (await findPatient(lab, patientId))?.facilityId;
    const decision = authorize(actor, "dashboard.timeline", { patientId, facilityId });
    // No such patient and not one's own read alike: a refusal must not tell which patients exist.
    if (!decision.allowed || (decision.grant.scope === "own-facility" && !facilityId)) throw new LabError("forbidden", decision.allowed ? "the patient is not registered at your facility" : decision.reason);
    const [entries, asOf] = await Promise.all([patientTimeline(readModels, patientId, limit), readModelsAsOf(readModels)]);
    return { asOf, patientId, entries };
  });
}
