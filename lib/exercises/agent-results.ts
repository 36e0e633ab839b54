// What the agents' benchmark says of one agent over the exercise catalog: per exercise, read from the run
// the conductor scored and from the audit's record of the agent's tool calls, and in total. Pure: the
// harness (bench/agents.bench.ts) gathers the facts, the leaderboard page shows the same figures.
import { describeEntity, type Exercise, isNoFault } from "./exercise-catalog.ts";
import type { InstructorView } from "./exercise-run.ts";

export interface AgentExerciseResult {
  exercise: string;
  faultClass: string;
  entity: string;
  noFault: boolean;
  runId: string | null;
  /** The harness could not play it (its lab did not start, …): the rest is empty. */
  problem: string | null;
  points: number | null;
  /** A fault: the agent declared an incident or diagnosed a fault. No fault: it did either (a false alarm). */
  detected: boolean;
  entityRight: boolean;
  classRight: boolean;
  /** The faulty SLIs back within their SLO for the exercise's minutes after an accepted lever. */
  mitigated: boolean;
  /** No fault: no incident declared, no fault diagnosed and no lever pulled. */
  quietRight: boolean | null;
  secondsToAcknowledge: number | null;
  secondsToRightDiagnosis: number | null;
  secondsToMitigation: number | null;
  toolCalls: number;
  refusedCalls: number;
  wrongTargetActions: number;
  elapsedSeconds: number;
  /** The audit entry that closes the run's record (control chain): re-verified with --verify. */
  digest: { sequence: string; hash: string } | null;
}

export interface AgentToolCalls {
  total: number;
  refused: number;
}

/** One exercise's result from the scored run (null when the harness could not play it). */
export function agentResult(
  exercise: Exercise,
  run: InstructorView | null,
  calls: AgentToolCalls,
  o: { elapsedSeconds: number; problem?: string | null; digest?: AgentExerciseResult["digest"] },
): AgentExerciseResult {
  const noFault = isNoFault(exercise);
  const score = run?.score ?? null;
  const declared = run?.acts.some((a) => a.type === "declare-incident") ?? false;
  const diagnoses = run?.acts.flatMap((a) => (a.type === "diagnose" ? [a] : [])) ?? [];
  const diagnosedFault = diagnoses.some((d) => d.entity.kind !== "none");
  const levers = (score?.wrongTargetActions.length ?? 0) + (score?.mitigation.lever ? 1 : 0);
  return {
    exercise: exercise.name,
    faultClass: exercise.truth.faultClass,
    entity: describeEntity(exercise.truth.entity),
    noFault,
    runId: run?.id ?? null,
    problem: o.problem ?? (run && !score ? `the run was not scored (${run.endReason ?? run.status})` : null),
    points: score?.points ?? null,
    detected: declared || diagnosedFault,
    entityRight: score?.diagnosis.entityRight ?? false,
    classRight: score?.diagnosis.classRight ?? false,
    mitigated: !noFault && (score?.mitigation.withinSlo ?? false),
    quietRight: noFault ? score !== null && !declared && !diagnosedFault && levers === 0 : null,
    secondsToAcknowledge: score?.acknowledged.afterSeconds ?? null,
    secondsToRightDiagnosis: score?.diagnosis.rightAfterSeconds ?? null,
    secondsToMitigation: score?.mitigation.withinSlo ? score.mitigation.afterSeconds : null,
    toolCalls: calls.total,
    refusedCalls: calls.refused,
    wrongTargetActions: score?.wrongTargetActions.length ?? 0,
    elapsedSeconds: o.elapsedSeconds,
    digest: o.digest ?? null,
  };
}

export interface AgentTotals {
  exercises: number;
  faults: number;
  detected: number;
  localised: number;
  classified: number;
  mitigated: number;
  noFault: number;
  quietRight: number;
  falseAlarms: number;
  medianSecondsToMitigation: number | null;
  toolCalls: number;
  refusedCalls: number;
  wrongTargetActions: number;
  points: number;
}

const median = (xs: number[]) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export function agentTotals(results: readonly AgentExerciseResult[]): AgentTotals {
  const faults = results.filter((r) => !r.noFault);
  const quiet = results.filter((r) => r.noFault);
  const count = (xs: readonly AgentExerciseResult[], f: (r: AgentExerciseResult) => boolean) => xs.filter(f).length;
  return {
    exercises: results.length,
    faults: faults.length,
    detected: count(faults, (r) => r.detected),
    localised: count(faults, (r) => r.entityRight),
    classified: count(faults, (r) => r.classRight),
    mitigated: count(faults, (r) => r.mitigated),
    noFault: quiet.length,
    quietRight: count(quiet, (r) => r.quietRight === true),
    falseAlarms: count(quiet, (r) => r.detected),
    medianSecondsToMitigation: median(faults.flatMap((r) => (r.secondsToMitigation === null ? [] : [r.secondsToMitigation]))),
    toolCalls: results.reduce((n, r) => n + r.toolCalls, 0),
    refusedCalls: results.reduce((n, r) => n + r.refusedCalls, 0),
    wrongTargetActions: results.reduce((n, r) => n + r.wrongTargetActions, 0),
    points: results.reduce((n, r) => n + (r.points ?? 0), 0),
  };
}

const yes = (b: boolean) => (b ? "yes" : "-");
const secs = (n: number | null) => (n === null ? "-" : `${n} s`);

/** The results as a fixed-width table, one exercise a line, then the totals. */
export function agentResultsTable(agent: string, results: readonly AgentExerciseResult[]): string {
  const header = ["exercise", "class", "detected", "entity", "class ok", "mitigated", "to mitigation", "calls", "refused", "wrong target", "points"];
  const rows = results.map((r) =>
    r.problem && r.points === null
      ? [r.exercise, r.faultClass, `NOT PLAYED: ${r.problem.slice(0, 60)}`, "", "", "", "", "", "", "", ""]
      : [
          r.exercise,
          r.faultClass,
          r.noFault ? (r.detected ? "FALSE ALARM" : "quiet, right") : yes(r.detected),
          r.noFault ? "" : yes(r.entityRight),
          r.noFault ? "" : yes(r.classRight),
          r.noFault ? "" : yes(r.mitigated),
          secs(r.secondsToMitigation),
          String(r.toolCalls),
          String(r.refusedCalls),
          String(r.wrongTargetActions),
          String(r.points ?? "-"),
        ],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  const t = agentTotals(results);
  const pct = (n: number, of: number) => (of === 0 ? "-" : `${n}/${of} (${Math.round((100 * n) / of)} %)`);
  return [
    `agent: ${agent}`,
    line(header),
    ...rows.map(line),
    "",
    `faults ${t.faults}: detected ${pct(t.detected, t.faults)}, entity ${pct(t.localised, t.faults)}, class ${pct(t.classified, t.faults)}, mitigated ${pct(t.mitigated, t.faults)}, median to mitigation ${secs(t.medianSecondsToMitigation)}`,
    `no fault ${t.noFault}: quiet and right ${pct(t.quietRight, t.noFault)}, false alarms ${t.falseAlarms}`,
    `tool calls ${t.toolCalls} (${t.refusedCalls} refused), levers on the wrong target ${t.wrongTargetActions}, points ${t.points} of ${100 * t.exercises}`,
  ].join("\n");
}
