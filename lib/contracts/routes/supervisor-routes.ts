// The supervisor's routes (:4900): the processes and their memory, kill, pause, resume, restart, fault
// switches with deadlines, a shard's write lock, leases, the emergency stop, and the data jobs.
import { z } from "zod";
import { EventFaultsInput } from "../../events/event-faults.ts";
import { FaultRulesInput } from "../../faults/fault-rules.ts";
import type { DataJob } from "../../supervisor/data-jobs.ts";
import { DataJobRequest } from "../../supervisor/data-jobs.ts";
import type { LabControl, LabStatus } from "../../supervisor/lab-control.ts";
import { route, servedBy } from "../lab-route.ts";

const ProcessParams = z.strictObject({ name: z.string().min(1).max(40) });
const JobParams = z.strictObject({ jobId: z.string().regex(/^job-[a-z0-9-]{1,40}$/, "must be a job id such as job-lx2k9-1") });
const ServiceParams = z.strictObject({ service: z.string().min(1).max(40) });
const KillBody = z.strictObject({ signal: z.enum(["SIGKILL", "SIGTERM", "SIGINT", "SIGQUIT"]).default("SIGKILL") });
// A pause always ends by itself: an hour at most.
const PauseBody = z.strictObject({ deadlineSeconds: z.number().int().min(1).max(3600) });
// A crash loop: each start dies this long after it listens, until the deadline (an hour at most).
const ShardParams = z.strictObject({ shard: z.string().regex(/^(0|[1-9][0-9]?)$/, "must be a shard index such as 2") });
// A write lock held by the drill's session always ends by itself: an hour at most.
const ShardLockBody = z.strictObject({ deadlineSeconds: z.number().int().min(1).max(3600) });
const CrashLoopBody = z.strictObject({ crashAfterSeconds: z.number().int().min(1).max(300), deadlineSeconds: z.number().int().min(1).max(3600) });
/** A service's fault rules, or the projector's event faults: the supervisor tells them apart by the service. */
export const SupervisedFaults = z.union([FaultRulesInput, EventFaultsInput]);

type Answer<K extends keyof LabControl> = LabControl[K] extends (...args: never[]) => infer R ? Awaited<R> : never;

export const SUPERVISOR_ROUTES = servedBy("supervisor", {
  processes: route<LabStatus>()({
    at: "GET /_lab/processes",
    action: "ops.read",
    summary: "Every process: state, pid, uptime, restarts, memory",
  }),
  dataJobs: route<{ jobs: DataJob[] }>()({
    at: "GET /_lab/jobs",
    action: "ops.read",
    summary: "The data jobs, newest first",
  }),
  dataJob: route<DataJob>()({ at: "GET /_lab/jobs/:jobId", action: "ops.read", params: JobParams, summary: "One data job" }),
  // Replaying the read models is an SRE's repair; generating patients needs data.generate too (the admin's).
  startDataJob: route<DataJob>()({
    at: "POST /_lab/jobs",
    action: "data.replay",
    body: DataJobRequest,
    status: 202,
    summary: "Start a data job (generate patients, replay the read models)",
  }),
  killProcess: route<Answer<"kill">>()({
    at: "POST /_lab/processes/:name/kill",
    action: "fault.switch",
    params: ProcessParams,
    body: KillBody,
    summary: "Send a process a signal",
  }),
  pauseProcess: route<Answer<"pause">>()({
    at: "POST /_lab/processes/:name/pause",
    action: "fault.switch",
    params: ProcessParams,
    body: PauseBody,
    summary: "Pause a process (SIGSTOP) until a deadline",
  }),
  resumeProcess: route<Answer<"resume">>()({
    at: "POST /_lab/processes/:name/resume",
    action: "process.restart",
    params: ProcessParams,
    summary: "Resume a paused process",
  }),
  restartProcess: route<Answer<"restart">>()({
    at: "POST /_lab/processes/:name/restart",
    action: "process.restart",
    params: ProcessParams,
    summary: "Restart a process",
  }),
  crashLoop: route<Answer<"crashLoop">>()({
    at: "PUT /_lab/processes/:name/crash-loop",
    action: "fault.switch",
    params: ProcessParams,
    body: CrashLoopBody,
    summary: "Crash-loop a process until a deadline: each start dies soon after it listens",
  }),
  endCrashLoop: route<Answer<"endCrashLoop">>()({
    at: "DELETE /_lab/processes/:name/crash-loop",
    action: "config.rollback",
    params: ProcessParams,
    summary: "End a crash loop: the process starts clean",
  }),
  setFaults: route<Answer<"setFaults">>()({
    at: "PUT /_lab/faults/:service",
    action: "fault.switch",
    params: ServiceParams,
    domainBody: SupervisedFaults,
    summary: "Switch a service's faults on, with a deadline",
  }),
  clearFaults: route<Answer<"clearFaults">>()({
    at: "DELETE /_lab/faults/:service",
    action: "config.rollback",
    params: ServiceParams,
    summary: "Switch a service's faults off",
  }),
  lockShard: route<Answer<"lockShard">>()({
    at: "PUT /_lab/shards/:shard/write-lock",
    action: "fault.switch",
    params: ShardParams,
    body: ShardLockBody,
    summary: "Open a session that holds a shard database's write lock until a deadline",
  }),
  // On-call's lever for a locked shard: ending the session that blocks it, as a DBA would.
  endBlockingSession: route<Answer<"endBlockingSession">>()({
    at: "DELETE /_lab/shards/:shard/write-lock",
    action: "process.restart",
    params: ShardParams,
    summary: "End the session holding a shard database's write lock",
  }),
  blockingSessions: route<ReturnType<LabControl["blockingSessions"]>>()({
    at: "GET /_lab/shards/sessions",
    action: "ops.read",
    summary: "The database sessions holding a shard's write lock",
  }),
  leases: route<ReturnType<LabControl["listLeases"]>>()({
    at: "GET /_lab/leases",
    action: "controls.read",
    summary: "The changes the deadman will revert, with their deadlines",
  }),
  emergencyStop: route<Answer<"emergencyStop">>()({
    at: "POST /_lab/emergency-stop",
    action: "fault.switch",
    summary: "Revert every fault and resume every process",
  }),
});
