// The scenario conductor's API, beside the drill engine's: the scripts, runs, stop, and each run's
// narrative (JSON for agents, or a Markdown post-incident review).
import type { FastifyRequest } from "fastify";
import { DRILL_ENGINE_ROUTES as R } from "../../lib/contracts/routes/drill-engine-routes.ts";
import { narrativeMarkdown } from "../../lib/scenarios/narrative.ts";
import type { ScenarioConductor } from "../../lib/scenarios/scenario-conductor.ts";
import type { DeclaredRoutes } from "../common/declared-routes.ts";

const meta = (request: FastifyRequest) => ({ requestId: request.id, traceId: request.trace.traceId });

export function installScenarioRoutes(routes: DeclaredRoutes, conductor: ScenarioConductor): void {
  routes.serve(R.scenarioCatalog, () => ({ scenarios: conductor.catalog() }));
  routes.serve(R.startScenario, ({ actor, body, request }) => conductor.start(actor, body.scenario, meta(request)));
  routes.serve(R.scenarioRuns, async () => ({ runs: await conductor.list() }));
  routes.serve(R.scenarioRun, ({ params }) => conductor.get(params.runId));
  routes.serve(R.stopScenario, ({ actor, params }) => conductor.stop(actor, params.runId));
  routes.serve(R.scenarioNarrative, async ({ params, query, reply }) => {
    const narrative = await conductor.narrative(params.runId);
    if (query.format === "json") return narrative;
    return reply
      .header("content-type", "text/markdown; charset=utf-8")
      .header("content-disposition", `attachment; filename="pir-${narrative.run.scenario}-${narrative.run.startedAt.slice(0, 10)}.md"`)
      .send(narrativeMarkdown(narrative));
  });
}
