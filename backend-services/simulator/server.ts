// The simulator's control API (lib/contracts/routes/simulator-routes.ts): what traffic is running and how
// it fares, start a profile, stop it. The portal's traffic panel and the drill engine call it; npm run
// lab:simulate runs the same simulation in its own process instead.
import type { FastifyInstance } from "fastify";
import type { TokenVerifier } from "../../lib/auth/tokens.ts";
import { SIMULATOR_ROUTES as R } from "../../lib/contracts/routes/simulator-routes.ts";
import type { SimulatorControl } from "../../lib/simulator/simulator-control.ts";
import { declaredRoutes } from "../common/declared-routes.ts";
import { createLabServer } from "../common/lab-server.ts";

export function buildSimulatorServer(control: SimulatorControl, tokens: TokenVerifier, logLevel: string, gatewayReady: () => Promise<void>): FastifyInstance {
  const app = createLabServer({ name: "simulator", logLevel, ready: gatewayReady });
  const routes = declaredRoutes(app, { tokens });
  routes.serve(R.traffic, () => control.status());
  routes.serve(R.startTraffic, async ({ actor, body, request }) => ({
    run: await control.start(actor, body, { requestId: request.id, traceId: request.trace.traceId }),
  }));
  routes.serve(R.stopTraffic, async ({ actor, request }) => ({ run: await control.stop(actor, { requestId: request.id, traceId: request.trace.traceId }) }));
  app.addHook("onClose", async () => control.close());
  return app;
}
