// Applies a service's fault rules to its requests, and serves its fault switch: GET/PUT/DELETE /_lab/faults
// (role with "fault.switch" only; every switch audited). Faults never touch the health endpoints.
import type { FastifyInstance } from "fastify";
import type { TokenVerifier } from "../../lib/auth/tokens.ts";
import type { ShardMap } from "../../lib/data/shard-map.ts";
import { LabError } from "../../lib/errors/index.ts";
import { FaultRulesInput, decideFault } from "../../lib/faults/fault-rules.ts";
import type { FaultSwitch } from "../../lib/faults/fault-switch.ts";
import { authenticate, authorizedActor, parseInput } from "./http-context.ts";

const EXEMPT = new Set(["/healthz", "/readyz", "/metrics", "/_lab/faults"]);

export function installFaults(app: FastifyInstance, faults: FaultSwitch, tokens: TokenVerifier, shardMap: () => ShardMap): void {
  app.addHook("preHandler", async (request, reply) => {
    const route = request.routeOptions.url ?? request.url;
    if (EXEMPT.has(route)) return;
    const rules = faults.active();
    if (rules.length === 0) return;
    const patientId = (request.params as Record<string, string> | undefined)?.patientId;
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
    const persona = token ? await tokens.verify(token).then((a) => a.role, () => null) : null;
    const decision = decideFault(rules, { route, method: request.method, shard: patientId ? shardMap().shardOf(patientId) : null, persona }, new Date());
    if (decision.delayMs > 0) await new Promise((r) => setTimeout(r, decision.delayMs));
    if (decision.hangMs > 0) {
      await new Promise((r) => setTimeout(r, decision.hangMs));
      throw new LabError("unavailable", "injected fault: the service hung");
    }
    if (decision.fail) {
      reply.header("x-lab-fault", decision.fail.ruleId);
      throw Object.assign(new Error(`injected fault ${decision.fail.ruleId}`), { injectedStatus: decision.fail.status });
    }
  });

  app.get("/_lab/faults", async (request) => {
    await authorizedActor(request, tokens, "fault.switch");
    return { service: faults.service, rules: faults.active() };
  });

  app.put("/_lab/faults", async (request) => {
    const actor = await authenticate(request, tokens);
    const { rules } = parseInput(FaultRulesInput, request.body, "body");
    return { service: faults.service, rules: await faults.replace(actor, rules, { requestId: request.id, traceId: request.trace.traceId }) };
  });

  app.delete("/_lab/faults", async (request) => {
    const actor = await authenticate(request, tokens);
    return { service: faults.service, rules: await faults.replace(actor, [], { requestId: request.id, traceId: request.trace.traceId }) };
  });
}
