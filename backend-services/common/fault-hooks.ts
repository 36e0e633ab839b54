// Applies a service's fault rules to its requests, and serves its fault switch: GET/PUT/DELETE /_lab/faults
// (role with "fault.switch" only; every switch audited). Faults never touch the health endpoints.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { TokenVerifier } from "../../lib/auth/tokens.ts";
import type { ShardMap } from "../../lib/data/shard-map.ts";
import { LabError } from "../../lib/errors/index.ts";
import { faultSwitchRoutes } from "../../lib/contracts/routes/service-routes.ts";
import { decideFault, failureDetail } from "../../lib/faults/fault-rules.ts";
import type { FaultSwitch } from "../../lib/faults/fault-switch.ts";
import type { DeclaredRoutes } from "./declared-routes.ts";

const EXEMPT = new Set(["/healthz", "/readyz", "/metrics", "/_lab/faults"]);

export function installFaults(app: FastifyInstance, routes: DeclaredRoutes, faults: FaultSwitch, tokens: TokenVerifier, shardMap: () => ShardMap): void {
  app.addHook("preHandler", async (request) => {
    const route = request.routeOptions.url ?? request.url;
    if (EXEMPT.has(route)) return;
    const rules = faults.active();
    if (rules.length === 0) return;
    const patientId = (request.params as Record<string, string> | undefined)?.patientId;
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
    const persona = token
      ? await tokens.verify(token).then(
          (a) => a.role,
          () => null,
        )
      : null;
    const decision = decideFault(rules, { route, method: request.method, shard: patientId ? shardMap().shardOf(patientId) : null, persona }, new Date());
    if (decision.delayMs > 0) await new Promise((r) => setTimeout(r, decision.delayMs));
    if (decision.hangMs > 0) {
      await new Promise((r) => setTimeout(r, decision.hangMs));
      throw new LabError("unavailable", "the service did not finish the request in time");
    }
    // What a caller (and an on-call person reading traces and logs) sees is the failure, never the rule.
    if (decision.fail) throw new LabError("injected", failureDetail(decision.fail.status), { status: decision.fail.status });
  });

  const r = faultSwitchRoutes(faults.service as "clinical" | "billing");
  const meta = (request: FastifyRequest) => ({ requestId: request.id, traceId: request.trace.traceId });
  routes.serve(r.faults, () => ({ service: faults.service, rules: faults.active() }));
  routes.serve(r.setFaults, async ({ actor, body, request }) => ({ service: faults.service, rules: await faults.replace(actor, body.rules, meta(request)) }));
  routes.serve(r.clearFaults, async ({ actor, request }) => ({ service: faults.service, rules: await faults.replace(actor, [], meta(request)) }));
}
