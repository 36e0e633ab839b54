// The exercise conductor's API, beside the drill engine's (lib/contracts/routes/exercise-routes.ts): the
// instructor's catalog, runs, hints and end; the player's briefing, acts and review.
import type { FastifyRequest } from "fastify";
import { EXERCISE_ROUTES as R } from "../../lib/contracts/routes/exercise-routes.ts";
import type { ExerciseConductor } from "../../lib/exercises/exercise-conductor.ts";
import { exerciseReviewMarkdown } from "../../lib/exercises/exercise-review.ts";
import type { DeclaredRoutes } from "../common/declared-routes.ts";

const meta = (request: FastifyRequest) => ({ requestId: request.id, traceId: request.trace.traceId });

export function installExerciseRoutes(routes: DeclaredRoutes, conductor: ExerciseConductor): void {
  routes.serve(R.exerciseCatalog, ({ actor }) => ({ exercises: conductor.catalog(actor) }));
  routes.serve(R.startExercise, ({ actor, body, request }) => conductor.start(actor, body.exercise, meta(request)));
  routes.serve(R.exerciseRuns, async ({ actor }) => ({ runs: await conductor.list(actor) }));
  routes.serve(R.exerciseRun, ({ actor, params }) => conductor.get(actor, params.runId));
  routes.serve(R.exerciseHint, ({ actor, params, body }) => conductor.hint(actor, params.runId, body.text));
  routes.serve(R.endExercise, ({ actor, params }) => conductor.end(actor, params.runId));
  routes.serve(R.exerciseBriefing, ({ actor }) => conductor.current(actor));
  routes.serve(R.exerciseAct, ({ actor, params, body }) => conductor.act(actor, params.runId, body));
  routes.serve(R.exerciseReview, async ({ actor, params, query, reply }) => {
    const review = await conductor.review(actor, params.runId);
    if (query.format === "json") return review;
    return reply
      .header("content-type", "text/markdown; charset=utf-8")
      .header("content-disposition", `attachment; filename="pir-exercise-${review.exercise}-${review.startedAt.slice(0, 10)}.md"`)
      .send(exerciseReviewMarkdown(review));
  });
}
