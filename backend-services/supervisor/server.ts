// The supervisor's control API (:4900): the lab's processes and their memory, kill, pause with a deadline,
// resume, restart, fault switches forwarded to the services with a deadline, the leases the deadman keeps,
// and an emergency stop; and the data jobs (generation, replay). Reads need "ops.read", every process write
// "fault.switch", a data job "data.generate" or "data.replay"; each write is audited (lib/supervisor).
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import type { TokenVerifier } from "../../lib/auth/tokens.ts";
import { EventFaultsInput } from "../../lib/events/event-faults.ts";
import { FaultRulesInput } from "../../lib/faults/fault-rules.ts";
import { DataJobRequest, type DataJobs } from "../../lib/supervisor/data-jobs.ts";
import type { LabControl, RequestMeta } from "../../lib/supervisor/lab-control.ts";
import { authorizedActor, parseInput } from "../common/http-context.ts";
import { createLabServer } from "../common/lab-server.ts";

const ProcessParams = z.strictObject({ name: z.string().min(1).max(40) });
const JobParams = z.strictObject({ jobId: z.string().regex(/^job-[a-z0-9-]{1,40}$/, "must be a job id such as job-lx2k9-1") });
const ServiceParams = z.strictObject({ service: z.string().min(1).max(40) });
const KillBody = z.strictObject({ signal: z.enum(["SIGKILL", "SIGTERM", "SIGINT", "SIGQUIT"]).default("SIGKILL") });
// A pause always ends by itself: an hour at most.
const PauseBody = z.strictObject({ deadlineSeconds: z.number().int().min(1).max(3600) });

const meta = (request: FastifyRequest): RequestMeta => ({ requestId: request.id, traceId: request.trace.traceId, traceparent: request.trace.traceparent });

export function buildSupervisorServer(control: LabControl, tokens: TokenVerifier, options: { logLevel?: string; logFile?: string; jobs?: DataJobs } = {}): FastifyInstance {
  const app = createLabServer({ name: "supervisor", logLevel: options.logLevel, logFile: options.logFile, ready: async () => undefined });

  app.get("/_lab/processes", async (request) => {
    await authorizedActor(request, tokens, "ops.read");
    return control.status();
  });

  const jobs = options.jobs;
  if (jobs) {
    // Data generation and read-model replay, one at a time: admins generate, SREs and admins replay.
    app.get("/_lab/jobs", async (request) => {
      await authorizedActor(request, tokens, "ops.read");
      return { jobs: jobs.list() };
    });
    app.get("/_lab/jobs/:jobId", async (request) => {
      await authorizedActor(request, tokens, "ops.read");
      return jobs.get(parseInput(JobParams, request.params, "params").jobId);
    });
    app.post("/_lab/jobs", async (request, reply) => {
      const body = parseInput(DataJobRequest, request.body ?? {}, "body");
      const actor = await authorizedActor(request, tokens, body.kind === "generate" ? "data.generate" : "data.replay");
      return reply.status(202).send(await jobs.start(actor, body, meta(request)));
    });
  }

  app.post("/_lab/processes/:name/kill", async (request) => {
    const actor = await authorizedActor(request, tokens, "fault.switch");
    const { name } = parseInput(ProcessParams, request.params, "params");
    const { signal } = parseInput(KillBody, request.body ?? {}, "body");
    return control.kill(actor, name, signal, meta(request));
  });

  app.post("/_lab/processes/:name/pause", async (request) => {
    const actor = await authorizedActor(request, tokens, "fault.switch");
    const { name } = parseInput(ProcessParams, request.params, "params");
    const { deadlineSeconds } = parseInput(PauseBody, request.body ?? {}, "body");
    return control.pause(actor, name, deadlineSeconds, meta(request));
  });

  app.post("/_lab/processes/:name/resume", async (request) => {
    const actor = await authorizedActor(request, tokens, "fault.switch");
    const { name } = parseInput(ProcessParams, request.params, "params");
    return control.resume(actor, name, meta(request));
  });

  app.post("/_lab/processes/:name/restart", async (request) => {
    const actor = await authorizedActor(request, tokens, "fault.switch");
    const { name } = parseInput(ProcessParams, request.params, "params");
    return control.restart(actor, name, meta(request));
  });

  app.put("/_lab/faults/:service", async (request) => {
    const actor = await authorizedActor(request, tokens, "fault.switch");
    const { service } = parseInput(ServiceParams, request.params, "params");
    const body = control.faultSwitchOf(service) === "events" ? parseInput(EventFaultsInput, request.body, "body") : parseInput(FaultRulesInput, request.body, "body");
    // The caller's own token goes to the service, which checks it again and audits the switch as theirs.
    return control.setFaults(actor, service, request.headers.authorization!, body, meta(request));
  });

  app.delete("/_lab/faults/:service", async (request) => {
    const actor = await authorizedActor(request, tokens, "fault.switch");
    const { service } = parseInput(ServiceParams, request.params, "params");
    return control.clearFaults(actor, service, request.headers.authorization!, meta(request));
  });

  app.get("/_lab/leases", async (request) => {
    await authorizedActor(request, tokens, "ops.read");
    return control.listLeases();
  });

  app.post("/_lab/emergency-stop", async (request) => {
    const actor = await authorizedActor(request, tokens, "fault.switch");
    return control.emergencyStop(actor, meta(request));
  });

  return app;
}
