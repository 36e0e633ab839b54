// The simulator's control API: what traffic is running and how it fares (GET, "ops.read"), start a
// profile (PUT, "traffic.control"), stop it (DELETE). The portal's traffic panel and the drill engine call
// it; npm run lab:simulate runs the same simulation in its own process instead.
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { TokenVerifier } from "../../lib/auth/tokens.ts";
import type { SimulatorControl } from "../../lib/simulator/simulator-control.ts";
import { authenticate, authorizedActor, parseInput } from "../common/http-context.ts";
import { createLabServer } from "../common/lab-server.ts";

const StartTraffic = z.strictObject({
  profile: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be a traffic profile's name"),
  durationSeconds: z.number().int().min(1).max(7 * 86_400).optional(),
});

export function buildSimulatorServer(control: SimulatorControl, tokens: TokenVerifier, logLevel: string, gatewayReady: () => Promise<void>): FastifyInstance {
  const app = createLabServer({ name: "simulator", logLevel, ready: gatewayReady });

  app.get("/_lab/traffic", async (request) => {
    await authorizedActor(request, tokens, "ops.read");
    return control.status();
  });

  app.put("/_lab/traffic", async (request) => {
    const actor = await authenticate(request, tokens);
    const body = parseInput(StartTraffic, request.body, "body");
    return { run: await control.start(actor, body, { requestId: request.id, traceId: request.trace.traceId }) };
  });

  app.delete("/_lab/traffic", async (request) => {
    const actor = await authenticate(request, tokens);
    return { run: await control.stop(actor, { requestId: request.id, traceId: request.trace.traceId }) };
  });

  app.addHook("onClose", async () => control.close());
  return app;
}
