// An exercise as it is played: the run the conductor keeps (hidden faults and their drill runs, the player's
// acts, the instructor's hints, the clock, the score), and the two views of it. The player's view has the
// briefing, the clock, the hints and their own acts, and, once it is over, the truth and the score; the
// instructor's has everything.
import { z } from "zod";
import { FAULT_CLASSES, type Exercise, FaultyEntity, describeEntity } from "./exercise-catalog.ts";
import type { ConductedRun } from "../scenarios/scenario-run.ts";
import type { ExerciseScore } from "./exercise-score.ts";

export const ExerciseRunId = z.string().regex(/^exr-[a-z0-9-]{1,60}$/, "must be an exercise run id (exr-...)");

/** What the player does through the lab besides pulling levers: each is an audited act with its time. */
export const PlayerActInput = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("acknowledge") }),
  z.strictObject({ type: z.literal("declare-incident"), summary: z.string().trim().min(1).max(500) }),
  z.strictObject({
    type: z.literal("diagnose"),
    entity: FaultyEntity,
    faultClass: z.enum(FAULT_CLASSES),
    notes: z.string().max(2000).default(""),
  }),
  z.strictObject({ type: z.literal("resolve"), notes: z.string().max(2000).default("") }),
]);
export type PlayerActInput = z.infer<typeof PlayerActInput>;
export type PlayerAct = PlayerActInput & { at: string; by: string };

export const HintInput = z.strictObject({ text: z.string().trim().min(1).max(1000) });

export type ExerciseRunStatus = "running" | "resolving" | "ended" | "failed";

export interface HiddenFaultRun {
  afterSeconds: number;
  drill: string;
  dueAt: string;
  drillRunId: string | null;
  launchedAt: string | null;
  error: string | null;
}

export interface ExerciseRun extends ConductedRun<ExerciseRunStatus> {
  exercise: string;
  briefing: string;
  /** The player's "resolved": the run ends once the SLIs have had withinSloMinutes to show it. */
  resolvedAt: string | null;
  faults: HiddenFaultRun[];
  hints: { at: string; by: string; text: string }[];
  acts: PlayerAct[];
  score: ExerciseScore | null;
}

/** The instructor's view: the run and the exercise's hidden part and truth. */
export type InstructorView = ExerciseRun & Pick<Exercise, "hidden" | "truth" | "mitigations" | "withinSloMinutes" | "timeLimitSeconds">;

/** The player's view: nothing of the hidden part while it runs; the truth and the score once it is over. */
export interface PlayerView {
  id: string;
  exercise: string;
  title: string;
  briefing: string;
  status: ExerciseRunStatus;
  startedAt: string;
  endsAt: string;
  endedAt: string | null;
  secondsLeft: number;
  hints: ExerciseRun["hints"];
  acts: PlayerAct[];
  debrief: { truth: Exercise["truth"]; mitigations: Exercise["mitigations"]; score: ExerciseScore | null } | null;
}

export const isOver = (run: Pick<ExerciseRun, "status">) => run.status === "ended" || run.status === "failed";

export function playerView(run: ExerciseRun, exercise: Exercise, now = new Date()): PlayerView {
  return {
    id: run.id,
    exercise: run.exercise,
    title: run.title,
    briefing: run.briefing,
    status: run.status,
    startedAt: run.startedAt,
    endsAt: run.endsAt,
    endedAt: run.endedAt,
    secondsLeft: isOver(run) ? 0 : Math.max(0, Math.round((Date.parse(run.endsAt) - now.getTime()) / 1000)),
    hints: run.hints,
    acts: run.acts,
    debrief: isOver(run) ? { truth: exercise.truth, mitigations: exercise.mitigations, score: run.score } : null,
  };
}

export function instructorView(run: ExerciseRun, exercise: Exercise): InstructorView {
  const { hidden, truth, mitigations, withinSloMinutes, timeLimitSeconds } = exercise;
  return { ...run, hidden, truth, mitigations, withinSloMinutes, timeLimitSeconds };
}

/** A player's act in words, for the timeline and the review. */
export function describeAct(a: PlayerActInput): string {
  switch (a.type) {
    case "acknowledge":
      return "acknowledged the page";
    case "declare-incident":
      return `declared an incident: ${a.summary}`;
    case "diagnose":
      return `diagnosis: ${describeEntity(a.entity)}, ${a.faultClass}${a.notes ? ` (${a.notes})` : ""}`;
    case "resolve":
      return `resolved${a.notes ? `: ${a.notes}` : ""}`;
  }
}
