// The gateway's load shedding (lib/load/load-shedding.ts) on its requests: an API request over the cap in
// flight (of its persona, when the cap names personas) is answered 503 with Retry-After before anything
// else is done for it; an admitted one holds its place until it is answered or its caller goes away. And
// the lever's routes.
import type { FastifyInstance } from "fastify";
import { GATEWAY_ROUTES as R } from "../../lib/contracts/routes/gateway-routes.ts";
import { LabError } from "../../lib/errors/index.ts";
import type { LoadShedding } from "../../lib/load/load-shedding.ts";
import type { DeclaredRoutes } from "../common/declared-routes.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** Gives back an admitted request's place under the load-shedding cap (idempotent). */
    releaseAdmission: (() => void) | null;
  }
}

export function installLoadShedding(app: FastifyInstance, shedding: LoadShedding, shed: (route: string) => boolean): void {
  app.decorateRequest("releaseAdmission", null);
  app.addHook("onRequest", async (request, reply) => {
    if (!shed(request.routeOptions.url ?? "")) return;
    const release = shedding.admit(request.actor?.role ?? null);
    if (!release) {
      reply.header("retry-after", "1");
      throw new LabError("unavailable", "the gateway is shedding load: too many requests in flight; retry shortly");
    }
    request.releaseAdmission = release;
  });
  app.addHook("onResponse", async (request) => request.releaseAdmission?.());
  app.addHook("onRequestAbort", async (request) => request.releaseAdmission?.());
}

export function loadSheddingRoutes(routes: DeclaredRoutes, shedding: LoadShedding): void {
  routes.serve(R.loadShedding, () => shedding.status());
  routes.serve(R.shedLoad, ({ actor, body, request }) => shedding.set(actor, body, { requestId: request.id, traceId: request.trace.traceId }));
  routes.serve(R.stopShedding, ({ actor, request }) => shedding.clear(actor, { requestId: request.id, traceId: request.trace.traceId }));
}
