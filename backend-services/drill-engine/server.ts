// The drill engine's API: the catalog and guardrails, dry runs, launches (now or scheduled), the runs and
// their steps, abort, and the emergency stop. Reads need "ops.read"; everything else "drill.run".
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import type { TokenVerifier } from "../../lib/auth/tokens.ts";
import type { DrillEngine } from "../../lib/drills/drill-engine.ts";
import type { ScenarioConductor } from "../../lib/scenarios/scenario-conductor.ts";
import { authenticate, authorizedActor, parseInput } from "../common/http-context.ts";
import { createLabServer } from "../common/lab-server.ts";
import { installScenarioRoutes } from "./scenario-routes.ts";

const RunParams = z.strictObject({ runId: z.string().regex(/^drl-[a-z0-9-]{1,60}$/, "must be a drill run id (drl-...)") });
const meta = (request: FastifyRequest) => ({ requestId: request.id, traceId: request.trace.traceId });

export function buildDrillEngineServer(engine: DrillEngine, conductor: ScenarioConductor, tokens: TokenVerifier, options: { logLevel: string; ready: () => Promise<void> }): FastifyInstance {
  const app = createLabServer({ name: "drill-engine", logLevel: options.logLevel, ready: options.ready });

  app.get("/_lab/drills/catalog", async (request) => {
    await authorizedActor(request, tokens, "ops.read");
    return { drills: engine.catalog(), guardrails: engine.guardrails() };
  });

  app.post("/_lab/drills/dry-run", async (request) => engine.dryRun(await authenticate(request, tokens), request.body));

  app.post("/_lab/drills/runs", async (request, reply) => reply.status(201).send(await engine.launch(await authenticate(request, tokens), request.body, meta(request))));

  app.get("/_lab/drills/runs", async (request) => {
    await authorizedActor(request, tokens, "ops.read");
    return { runs: await engine.list() };
  });

  app.get("/_lab/drills/runs/:runId", async (request) => {
    await authorizedActor(request, tokens, "ops.read");
    return engine.get(parseInput(RunParams, request.params, "path").runId);
  });

  app.post("/_lab/drills/runs/:runId/abort", async (request) => {
    const actor = await authenticate(request, tokens);
    return engine.abort(actor, parseInput(RunParams, request.params, "path").runId);
  });

  app.post("/_lab/drills/emergency-stop", async (request) => engine.emergencyStop(await authenticate(request, tokens), meta(request)));

  installScenarioRoutes(app, conductor, tokens);
  // Scenarios first: a stopped scenario aborts its drills through the engine, which must still be open.
  app.addHook("onClose", async () => {
    await conductor.close();
    await engine.close();
  });
  return app;
}
