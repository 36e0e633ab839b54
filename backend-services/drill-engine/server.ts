// The drill engine's API: the catalog and guardrails, dry runs, launches (now or scheduled), the runs and
// their steps, abort, and the emergency stop (declared in lib/contracts/routes/drill-engine-routes.ts); the
// scenario conductor's and the exercise conductor's routes beside them.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { TokenVerifier } from "../../lib/auth/tokens.ts";
import { DRILL_ENGINE_ROUTES as R } from "../../lib/contracts/routes/drill-engine-routes.ts";
import type { DrillEngine } from "../../lib/drills/drill-engine.ts";
import type { ExerciseConductor } from "../../lib/exercises/exercise-conductor.ts";
import type { ScenarioConductor } from "../../lib/scenarios/scenario-conductor.ts";
import { declaredRoutes } from "../common/declared-routes.ts";
import { createLabServer } from "../common/lab-server.ts";
import { installExerciseRoutes } from "./exercise-routes.ts";
import { installScenarioRoutes } from "./scenario-routes.ts";

const meta = (request: FastifyRequest) => ({ requestId: request.id, traceId: request.trace.traceId });

export function buildDrillEngineServer(
  engine: DrillEngine,
  conductor: ScenarioConductor,
  tokens: TokenVerifier,
  options: { logLevel: string; ready: () => Promise<void>; exercises?: ExerciseConductor },
): FastifyInstance {
  const app = createLabServer({ name: "drill-engine", logLevel: options.logLevel, ready: options.ready });
  const routes = declaredRoutes(app, { tokens });

  routes.serve(R.drillCatalog, () => ({ drills: engine.catalog(), guardrails: engine.guardrails() }));
  routes.serve(R.dryRun, ({ actor, rawBody }) => engine.dryRun(actor, rawBody));
  routes.serve(R.launchDrill, ({ actor, rawBody, request }) => engine.launch(actor, rawBody, meta(request)));
  routes.serve(R.drillRuns, async () => ({ runs: await engine.list() }));
  routes.serve(R.drillRun, ({ params }) => engine.get(params.runId));
  routes.serve(R.abortDrill, ({ actor, params }) => engine.abort(actor, params.runId));
  routes.serve(R.drillEmergencyStop, ({ actor, request }) => engine.emergencyStop(actor, meta(request)));

  installScenarioRoutes(routes, conductor);
  if (options.exercises) installExerciseRoutes(routes, options.exercises);
  // Scenarios and exercises first: they end their drills through the engine, which must still be open.
  app.addHook("onClose", async () => {
    await Promise.all([conductor.close(), options.exercises?.close()]);
    await engine.close();
  });
  return app;
}
