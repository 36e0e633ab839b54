// Applies a process's fault rules to its requests, and serves its fault switch: GET/PUT/DELETE /_lab/faults
// (role with "fault.switch" only; every switch audited). Faults never touch the health endpoints, nor the
// switch itself. The services and the gateway share it; the gateway's rules touch only what it forwards.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { TokenVerifier } from "../../lib/auth/tokens.ts";
import type { ShardMap } from "../../lib/data/shard-map.ts";
import { LabError } from "../../lib/errors/index.ts";
import { type FaultSwitchProcess, faultSwitchRoutes } from "../../lib/contracts/routes/service-routes.ts";
import { decideFault, failureDetail } from "../../lib/faults/fault-rules.ts";
import type { FaultSwitch } from "../../lib/faults/fault-switch.ts";
import type { DeclaredRoutes } from "./declared-routes.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** A fault rule hid this request from its journey's SLI (the gateway's blind spot). */
    unrecordedSli: boolean;
  }
}

const EXEMPT = new Set(["/healthz", "/readyz", "/metrics", "/_lab/faults"]);

export interface FaultHookOptions {
  faults: FaultSwitch;
  shardMap: () => ShardMap;
  /** The caller's role, for rules scoped to personas. */
  personaOf: (request: FastifyRequest) => Promise<string | null>;
  /** Which routes the rules may touch (all but the exempt ones when not given). */
  applies?: (route: string) => boolean;
}

/** A service's caller's role, read from its bearer token (a bad token matches no persona rule). */
export async function personaOfToken(request: FastifyRequest, tokens: TokenVerifier): Promise<string | null> {
  const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
  return token
    ? tokens.verify(token).then(
        (a) => a.role,
        () => null,
      )
    : null;
}

export function installFaults(app: FastifyInstance, routes: DeclaredRoutes, o: FaultHookOptions): void {
  app.decorateRequest("unrecordedSli", false);
  app.addHook("preHandler", async (request) => {
    const route = request.routeOptions.url ?? request.url;
    if (EXEMPT.has(route) || (o.applies && !o.applies(route))) return;
    const rules = o.faults.active();
    if (rules.length === 0) return;
    const patientId = (request.params as Record<string, string> | undefined)?.patientId;
    const facts = { route, method: request.method, shard: patientId ? o.shardMap().shardOf(patientId) : null, persona: await o.personaOf(request) };
    const decision = decideFault(rules, facts, new Date());
    request.unrecordedSli = decision.unrecorded;
    if (decision.delayMs > 0) await new Promise((r) => setTimeout(r, decision.delayMs));
    if (decision.hangMs > 0) {
      await new Promise((r) => setTimeout(r, decision.hangMs));
      throw new LabError("unavailable", "the service did not finish the request in time");
    }
    // What a caller (and an on-call person reading traces and logs) sees is the failure, never the rule.
    if (decision.fail) throw new LabError("injected", failureDetail(decision.fail.status), { status: decision.fail.status });
  });

  const r = faultSwitchRoutes(o.faults.service as FaultSwitchProcess);
  const meta = (request: FastifyRequest) => ({ requestId: request.id, traceId: request.trace.traceId });
  routes.serve(r.faults, () => ({ service: o.faults.service, rules: o.faults.active() }));
  routes.serve(r.setFaults, async ({ actor, body, request }) => ({
    service: o.faults.service,
    rules: await o.faults.replace(actor, body.rules, meta(request)),
  }));
  routes.serve(r.clearFaults, async ({ actor, request }) => ({ service: o.faults.service, rules: await o.faults.replace(actor, [], meta(request)) }));
}
