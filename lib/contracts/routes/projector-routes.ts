// The projector's routes (:4103): the event pipeline's state, the dead letters and their redrive, the event
// faults, and the persona dashboards' read models.
import { z } from "zod";
import { FacilityId, PatientId } from "../../clinical/contracts.ts";
import type { Census, ClaimsPipeline, OpenEncounter, TimelineEntry } from "../../dashboards/dashboard-reads.ts";
import type { PartitionLag } from "../../events/bus.ts";
import type { DeadLetter } from "../../events/dead-letters.ts";
import { EventFaultsInput, type EventFaultState } from "../../events/event-faults.ts";
import type { PipelineFreshness } from "../../events/pipeline-freshness.ts";
import type { ProjectorStats } from "../../events/projector.ts";
import { route, servedBy } from "../lab-route.ts";

const DeadLetterParams = z.strictObject({ eventId: z.string().min(1).max(200) });
const DeadLetterQuery = z.strictObject({ status: z.enum(["dead", "redriven", "all"]).default("dead") });
const Limit = z.coerce.number().int().min(1).max(200);
const CensusQuery = z.strictObject({ facilityId: FacilityId.optional(), limit: Limit.default(50) });
const ClaimsQuery = z.strictObject({ facilityId: FacilityId.optional() });
const TimelineParams = z.strictObject({ patientId: PatientId });
const TimelineQuery = z.strictObject({ limit: Limit.default(50) });
const FreshnessQuery = z.strictObject({ thresholdMs: z.coerce.number().int().min(1_000).max(3_600_000).default(10_000) });

export interface EventPipelineStatus {
  bus: string;
  outboxBacklog: { shard: number; unpublished: number }[];
  projector: ProjectorStats & { lag: PartitionLag[] };
  deadLetters: number;
  faults: EventFaultState | null;
}

/** Each dashboard answer says how fresh its read models are: the newest event they hold. */
type Fresh<T> = T & { asOf: string | null };
export type CensusDashboard = Fresh<{ facilityId: string | null; facilities: Census[]; openEncounters: OpenEncounter[] }>;
export type ClaimsDashboard = Fresh<{ facilityId: string | null } & ClaimsPipeline>;
export type TimelineDashboard = Fresh<{ patientId: string; entries: TimelineEntry[] }>;

export const PROJECTOR_ROUTES = servedBy("projector", {
  eventPipeline: route<EventPipelineStatus>()({
    at: "GET /_lab/events/status",
    action: "ops.read",
    summary: "Outbox backlog, projector counts and lag, dead letters",
  }),
  freshness: route<PipelineFreshness>()({
    at: "GET /_lab/events/freshness",
    action: "ops.read",
    query: FreshnessQuery,
    summary: "Whether the read models hold every event older than the threshold, and what waits",
  }),
  deadLetters: route<{ items: DeadLetter[] }>()({
    at: "GET /_lab/events/dead-letters",
    action: "ops.read",
    query: DeadLetterQuery,
    summary: "The dead letters",
  }),
  redrive: route<DeadLetter>()({
    at: "POST /_lab/events/dead-letters/:eventId/redrive",
    action: "events.redrive",
    params: DeadLetterParams,
    summary: "Send a dead letter through the projector again",
  }),
  eventFaults: route<{ faults: EventFaultState | null }>()({
    at: "GET /_lab/events/faults",
    action: "fault.switch",
    summary: "The event pipeline's faults",
  }),
  setEventFaults: route<{ faults: EventFaultState | null }>()({
    at: "PUT /_lab/events/faults",
    action: "fault.switch",
    body: EventFaultsInput,
    summary: "Switch event faults on",
  }),
  clearEventFaults: route<{ faults: EventFaultState | null }>()({
    at: "DELETE /_lab/events/faults",
    action: "config.rollback",
    summary: "Switch event faults off",
  }),
  // A clinician sees their own facility's; operations roles any facility's or all.
  censusDashboard: route<CensusDashboard>()({
    at: "GET /_lab/dashboards/census",
    action: "dashboard.census",
    query: CensusQuery,
    summary: "A facility's census and open encounters",
  }),
  claimsDashboard: route<ClaimsDashboard>()({
    at: "GET /_lab/dashboards/claims",
    action: "dashboard.claims",
    query: ClaimsQuery,
    summary: "The claims pipeline and its denial rate",
  }),
  timelineDashboard: route<TimelineDashboard>()({
    at: "GET /_lab/dashboards/timeline/:patientId",
    action: "dashboard.timeline",
    params: TimelineParams,
    query: TimelineQuery,
    summary: "A patient's recent activity",
  }),
});
