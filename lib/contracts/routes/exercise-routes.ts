// The exercise conductor's routes (in the drill engine, :4105): the instructor's catalog, runs, hints and
// end (exercise.run); the player's briefing, acts and, once it is over, the review (exercise.play).
import { z } from "zod";
import type { Exercise } from "../../exercises/exercise-catalog.ts";
import { ExerciseRunId, HintInput, type ExerciseRun, type InstructorView, PlayerActInput, type PlayerView } from "../../exercises/exercise-run.ts";
import { route, servedBy } from "../lab-route.ts";

const RunParams = z.strictObject({ runId: ExerciseRunId });
const StartExercise = z.strictObject({
  exercise: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be an exercise's name (GET /_lab/exercises/catalog lists them)"),
});
const ReviewQuery = z.strictObject({ format: z.enum(["json", "markdown"]).default("json") });

export const EXERCISE_ROUTES = servedBy("drill-engine", {
  exerciseCatalog: route<{ exercises: readonly Exercise[] }>()({
    at: "GET /_lab/exercises/catalog",
    action: "exercise.run",
    summary: "The exercises with their hidden part and truth (the game master's)",
  }),
  startExercise: route<InstructorView>()({
    at: "POST /_lab/exercises/runs",
    action: "exercise.run",
    body: StartExercise,
    status: 201,
    summary: "Start an exercise: its traffic now, its hidden faults on its clock",
  }),
  exerciseRuns: route<{ runs: ExerciseRun[] }>()({
    at: "GET /_lab/exercises/runs",
    action: "exercise.run",
    summary: "The exercise runs, newest first",
  }),
  exerciseRun: route<InstructorView>()({
    at: "GET /_lab/exercises/runs/:runId",
    action: "exercise.run",
    params: RunParams,
    summary: "One exercise run, hidden part and player's acts together",
  }),
  exerciseHint: route<InstructorView>()({
    at: "POST /_lab/exercises/runs/:runId/hints",
    action: "exercise.run",
    params: RunParams,
    body: HintInput,
    status: 201,
    summary: "Give the player a hint (recorded, and counted in the score)",
  }),
  endExercise: route<InstructorView>()({
    at: "POST /_lab/exercises/runs/:runId/end",
    action: "exercise.run",
    params: RunParams,
    summary: "End an exercise: its faults reverted, the run scored",
  }),
  exerciseBriefing: route<PlayerView>()({
    at: "GET /_lab/exercises/current",
    action: "exercise.play",
    summary: "The exercise under way (or the last one) as its player sees it",
  }),
  exerciseAct: route<PlayerView>()({
    at: "POST /_lab/exercises/runs/:runId/acts",
    action: "exercise.play",
    params: RunParams,
    body: PlayerActInput,
    status: 201,
    summary: "The player's act: acknowledge, declare an incident, diagnose, resolve",
  }),
  exerciseReview: route<InstructorView>()({
    at: "GET /_lab/exercises/runs/:runId/review",
    action: "exercise.play",
    params: RunParams,
    query: ReviewQuery,
    summary: "The post-incident review: the player's timeline beside the hidden truth, and the score (JSON, or ?format=markdown)",
  }),
});
