// The supervisor's control API (:4900, lib/contracts/routes/supervisor-routes.ts): the lab's processes and
// their memory, kill, pause with a deadline, resume, restart, fault switches forwarded to the services with
// a deadline, the leases the deadman keeps, and an emergency stop; and the data jobs (generation, replay).
// Each write is audited (lib/supervisor).
import type { FastifyInstance, FastifyRequest } from "fastify";
import { authorize } from "../../lib/auth/policy.ts";
import type { TokenVerifier } from "../../lib/auth/tokens.ts";
import { SUPERVISOR_ROUTES as R } from "../../lib/contracts/routes/supervisor-routes.ts";
import { LabError } from "../../lib/errors/index.ts";
import { EventFaultsInput } from "../../lib/events/event-faults.ts";
import { FaultRulesInput } from "../../lib/faults/fault-rules.ts";
import type { DataJobs } from "../../lib/supervisor/data-jobs.ts";
import { type LabControl, type RequestMeta, statusAsSeenBy } from "../../lib/supervisor/lab-control.ts";
import { declaredRoutes } from "../common/declared-routes.ts";
import { parseInput } from "../common/http-context.ts";
import { createLabServer } from "../common/lab-server.ts";

const meta = (request: FastifyRequest): RequestMeta => ({ requestId: request.id, traceId: request.trace.traceId, traceparent: request.trace.traceparent });

export function buildSupervisorServer(
  control: LabControl,
  tokens: TokenVerifier,
  options: { logLevel?: string; logFile?: string; jobs?: DataJobs } = {},
): FastifyInstance {
  const app = createLabServer({ name: "supervisor", logLevel: options.logLevel, logFile: options.logFile, ready: async () => undefined });
  const routes = declaredRoutes(app, { tokens });

  routes.serve(R.processes, ({ actor }) => statusAsSeenBy(control.status(), actor));

  const jobs = options.jobs;
  if (jobs) {
    // Data generation and read-model replay, one at a time: admins generate, SREs and admins replay.
    routes.serve(R.dataJobs, () => ({ jobs: jobs.list() }));
    routes.serve(R.dataJob, ({ params }) => jobs.get(params.jobId));
    routes.serve(R.startDataJob, ({ actor, body, request }) => {
      if (body.kind === "generate") {
        const decision = authorize(actor, "data.generate");
        if (!decision.allowed) throw new LabError("forbidden", decision.reason);
      }
      return jobs.start(actor, body, meta(request));
    });
  }

  routes.serve(R.killProcess, ({ actor, params, body, request }) => control.kill(actor, params.name, body.signal, meta(request)));
  routes.serve(R.pauseProcess, ({ actor, params, body, request }) => control.pause(actor, params.name, body.deadlineSeconds, meta(request)));
  routes.serve(R.resumeProcess, ({ actor, params, request }) => control.resume(actor, params.name, meta(request)));
  routes.serve(R.restartProcess, ({ actor, params, request }) => control.restart(actor, params.name, meta(request)));
  routes.serve(R.crashLoop, ({ actor, params, body, request }) =>
    control.crashLoop(actor, params.name, body.crashAfterSeconds, body.deadlineSeconds, meta(request)),
  );
  routes.serve(R.endCrashLoop, ({ actor, params, request }) => control.endCrashLoop(actor, params.name, meta(request)));
  routes.serve(R.setFaults, ({ actor, params, rawBody, request }) => {
    const body =
      control.faultSwitchOf(params.service) === "events" ? parseInput(EventFaultsInput, rawBody, "body") : parseInput(FaultRulesInput, rawBody, "body");
    // The caller's own token goes to the service, which checks it again and audits the switch as theirs.
    return control.setFaults(actor, params.service, request.headers.authorization!, body, meta(request));
  });
  routes.serve(R.clearFaults, ({ actor, params, request }) => control.clearFaults(actor, params.service, request.headers.authorization!, meta(request)));
  routes.serve(R.lockShard, ({ actor, params, body, request }) => control.lockShard(actor, Number(params.shard), body.deadlineSeconds, meta(request)));
  routes.serve(R.endBlockingSession, ({ actor, params, request }) => control.endBlockingSession(actor, Number(params.shard), meta(request)));
  routes.serve(R.blockingSessions, () => control.blockingSessions());
  routes.serve(R.leases, () => control.listLeases());
  routes.serve(R.emergencyStop, ({ actor, request }) => control.emergencyStop(actor, meta(request)));
  return app;
}
