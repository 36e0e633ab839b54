// The scenario conductor's API, beside the drill engine's: the scripts, runs, stop, and each run's
// narrative (JSON for agents, or a Markdown post-incident review). Reads need "ops.read", the rest "drill.run".
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import type { TokenVerifier } from "../../lib/auth/tokens.ts";
import { narrativeMarkdown } from "../../lib/scenarios/narrative.ts";
import type { ScenarioConductor } from "../../lib/scenarios/scenario-conductor.ts";
import { authorizedActor, parseInput } from "../common/http-context.ts";

const RunParams = z.strictObject({ runId: z.string().regex(/^scn-[a-z0-9-]{1,60}$/, "must be a scenario run id (scn-...)") });
const StartBody = z.strictObject({ scenario: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be a scenario's name (GET /_lab/scenarios/catalog lists them)") });
const NarrativeQuery = z.strictObject({ format: z.enum(["json", "markdown"]).default("json") });
const meta = (request: FastifyRequest) => ({ requestId: request.id, traceId: request.trace.traceId });

export function installScenarioRoutes(app: FastifyInstance, conductor: ScenarioConductor, tokens: TokenVerifier): void {
  app.get("/_lab/scenarios/catalog", async (request) => {
    await authorizedActor(request, tokens, "ops.read");
    return { scenarios: conductor.catalog() };
  });

  // The role first: a caller who may not run drills learns nothing from a 400 about the body.
  app.post("/_lab/scenarios/runs", async (request, reply) => {
    const actor = await authorizedActor(request, tokens, "drill.run");
    return reply.status(201).send(await conductor.start(actor, parseInput(StartBody, request.body ?? {}, "body").scenario, meta(request)));
  });

  app.get("/_lab/scenarios/runs", async (request) => {
    await authorizedActor(request, tokens, "ops.read");
    return { runs: await conductor.list() };
  });

  app.get("/_lab/scenarios/runs/:runId", async (request) => {
    await authorizedActor(request, tokens, "ops.read");
    return conductor.get(parseInput(RunParams, request.params, "path").runId);
  });

  app.post("/_lab/scenarios/runs/:runId/stop", async (request) => {
    const actor = await authorizedActor(request, tokens, "drill.run");
    return conductor.stop(actor, parseInput(RunParams, request.params, "path").runId);
  });

  app.get("/_lab/scenarios/runs/:runId/narrative", async (request, reply) => {
    await authorizedActor(request, tokens, "ops.read");
    const { runId } = parseInput(RunParams, request.params, "path");
    const { format } = parseInput(NarrativeQuery, request.query, "query");
    const narrative = await conductor.narrative(runId);
    if (format === "json") return narrative;
    return reply
      .header("content-type", "text/markdown; charset=utf-8")
      .header("content-disposition", `attachment; filename="pir-${narrative.run.scenario}-${narrative.run.startedAt.slice(0, 10)}.md"`)
      .send(narrativeMarkdown(narrative));
  });
}
