// An exercise's score, from what the lab recorded: the player's acts (acknowledge, incident, diagnosis,
// resolve), the levers they pulled (read back from the control audit), and the SLIs minute by minute.
// Mitigated means the SLOs the fault burned stayed within their objective for withinSloMinutes after an
// accepted lever, with traffic, not that a process is up. Pure functions: the conductor gathers the facts.
import { type Exercise, type FaultClass, type FaultyEntity, type Mitigation, isNoFault, sameEntity } from "./exercise-catalog.ts";

/** A lever the player pulled, as the audit recorded it. */
export interface PulledLever {
  at: string;
  /** The audit action (supervisor.restart, supervisor.faults-clear, traffic.stop, traffic.shed-on, events.redrive ...). */
  action: string;
  /** The process or service it acted on. */
  target: string;
}

/** The lever in the exercise vocabulary, or null for an audit action that is no lever. */
export function mitigationOf(lever: Pick<PulledLever, "action" | "target">): Mitigation | null {
  const processes = ["clinical", "billing", "gateway", "projector"] as const;
  const process = processes.find((p) => p === lever.target);
  // Services with a configuration to roll back: their fault rules, or a release that keeps crashing.
  const service = lever.target === "clinical" || lever.target === "billing" || lever.target === "gateway" ? lever.target : null;
  switch (lever.action) {
    case "supervisor.restart":
      return process ? { action: "restart-process", process } : null;
    case "supervisor.resume":
      return process ? { action: "resume-process", process } : null;
    case "supervisor.faults-clear":
    case "supervisor.crash-loop-end":
      if (lever.target === "projector" && lever.action === "supervisor.faults-clear") return { action: "resume-event-pipeline" };
      return service ? { action: "roll-back-config", service } : null;
    case "supervisor.shard-session-end": {
      const shard = /^shard-(\d+)$/.exec(lever.target)?.[1];
      return shard === undefined ? null : { action: "end-blocking-session", shard: Number(shard) };
    }
    case "traffic.stop":
    case "traffic.shed-on":
      return { action: "shed-traffic" };
    case "events.redrive":
      return { action: "redrive-dead-letters" };
    default:
      return null;
  }
}

/** The process or service a lever acts on, for "did it hit the faulty entity". */
function targetOf(m: Mitigation): string | null {
  if ("process" in m) return m.process;
  if ("shard" in m) return `shard-${m.shard}`;
  if ("service" in m) return m.service;
  if (m.action === "resume-event-pipeline" || m.action === "redrive-dead-letters") return "projector";
  return null;
}

function entityTarget(e: FaultyEntity): string | null {
  if (e.kind === "service" || e.kind === "configuration") return e.service;
  if (e.kind === "projector" || e.kind === "relay") return "projector";
  if (e.kind === "shard") return `shard-${e.shard}`;
  return null;
}

/** One minute of an SLO's SLI: its requests and the bad ones. */
export interface SliMinute {
  at: string;
  requests: number;
  bad: number;
}

export interface ScoreFacts {
  startedAt: string;
  endedAt: string;
  /** When the first hidden fault took effect (null for a no-fault exercise, or one whose faults failed to launch). */
  injectedAt: string | null;
  acknowledgedAt: string | null;
  incidentAt: string | null;
  /** Every diagnosis the player wrote, oldest first: the last one is their answer. */
  diagnoses: { at: string; entity: FaultyEntity; faultClass: FaultClass }[];
  /** What the on-call role did in the run, as the audit recorded it; the levers among it count. */
  levers: PulledLever[];
  hints: number;
  /** The SLIs that judge the mitigation (mitigationSlos: each expected alert's SLO, and a latency SLO's availability twin), minute by minute over the run, with its objective. */
  slis: { slo: string; target: number; minutes: SliMinute[] }[];
  /** The SLOs the fault does not touch (touchedSlos), minute by minute over the run, with their objectives. */
  collateral: { slo: string; target: number; minutes: SliMinute[] }[];
}

export interface ExerciseScore {
  points: number;
  acknowledged: { at: string | null; afterSeconds: number | null };
  /** A no-fault exercise: an incident declared on a healthy lab is a false alarm. */
  falseAlarm: boolean;
  diagnosis: {
    entity: FaultyEntity | null;
    faultClass: FaultClass | null;
    entityRight: boolean;
    classRight: boolean;
    /** Seconds from the injection (or the start) to the first diagnosis right on both counts. */
    rightAfterSeconds: number | null;
  };
  mitigation: {
    /** The first accepted lever the player pulled, and when. */
    lever: Mitigation | null;
    at: string | null;
    afterSeconds: number | null;
    /** The faulty SLOs back within their objective for withinSloMinutes after it (with traffic). */
    withinSlo: boolean;
    recoveredAt: string | null;
  };
  wrongTargetActions: { at: string; lever: Mitigation | null; action: string; target: string }[];
  /**
   * Minutes of the run in which an SLO the fault did not touch was out of its objective, with traffic, summed
   * over those SLOs: what else burned. Minutes, not budget: a young lab's budget is a few minutes' worth.
   */
  collateralMinutes: number;
  hints: number;
  summary: string;
}

/** "1 whole minute", "3 whole minutes". */
export const wholeMinutes = (n: number) => `${n} whole minute${n === 1 ? "" : "s"}`;

/** "1 SLO-minute", "4 SLO-minutes": the collateral. */
export const sloMinutes = (n: number) => `${n} SLO-minute${n === 1 ? "" : "s"}`;
const seconds = (from: string | null, to: string | null) => (from && to ? Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000)) : null);
const sameMitigation = (a: Mitigation, b: Mitigation) => JSON.stringify(a) === JSON.stringify(b);

/** A minute with no traffic says nothing either way: it is out of objective only when its bad share is. */
const withinObjective = (m: SliMinute, target: number) => m.requests === 0 || m.bad / m.requests <= 1 - target;

/** The first minute after which every faulty SLO stayed within its objective, with traffic, for `minutes` minutes. */
export function recoveredAt(slis: ScoreFacts["slis"], after: string, minutes: number): string | null {
  const from = Date.parse(after);
  const good = slis.map(
    ({ target, minutes: points }) =>
      new Map(points.filter((p) => Date.parse(p.at) > from).map((p) => [p.at, p.requests > 0 && p.bad / p.requests <= 1 - target] as const)),
  );
  const times = [...new Set(slis.flatMap((s) => s.minutes.map((p) => p.at)))].filter((t) => Date.parse(t) > from).sort();
  let run = 0;
  for (const t of times) {
    run = good.every((g) => g.get(t) === true) ? run + 1 : 0;
    if (run >= minutes) return times[times.indexOf(t) - minutes + 1]!;
  }
  return null;
}

export function scoreExercise(exercise: Pick<Exercise, "truth" | "mitigations" | "withinSloMinutes">, f: ScoreFacts): ExerciseScore {
  const noFault = isNoFault(exercise);
  const clock = f.injectedAt ?? f.startedAt;
  const answer = f.diagnoses.at(-1) ?? null;
  const right = (d: { entity: FaultyEntity; faultClass: FaultClass }) =>
    sameEntity(d.entity, exercise.truth.entity) && d.faultClass === exercise.truth.faultClass;
  const firstRight = f.diagnoses.find(right) ?? null;
  const levers = f.levers.map((l) => ({ ...l, lever: mitigationOf(l) })).filter((l) => l.lever !== null);
  const accepted = noFault ? undefined : levers.find((l) => l.lever && exercise.mitigations.some((m) => sameMitigation(m, l.lever!)));
  const recovered = accepted ? recoveredAt(f.slis, accepted.at, exercise.withinSloMinutes) : null;
  const faultyTarget = entityTarget(exercise.truth.entity);
  const wrongTarget = levers.filter(
    (l) =>
      noFault ||
      (l !== accepted && !exercise.mitigations.some((m) => l.lever && sameMitigation(m, l.lever)) && (!l.lever || targetOf(l.lever) !== faultyTarget)),
  );
  const collateral = f.collateral.reduce((sum, { target, minutes }) => sum + minutes.filter((m) => !withinObjective(m, target)).length, 0);
  const falseAlarm = noFault && f.incidentAt !== null;

  const entityRight = answer !== null && sameEntity(answer.entity, exercise.truth.entity);
  const classRight = answer !== null && answer.faultClass === exercise.truth.faultClass;
  const mitigated = noFault ? levers.length === 0 : recovered !== null;
  // Out of 100. A fault: the page answered 15, an incident declared 15, the entity 25, the class 15,
  // mitigated 30. No fault: no incident invented 30, "nothing" as entity 25 and class 15, no lever pulled 30.
  // Each hint and each lever on the wrong target costs 5.
  let points = noFault ? (falseAlarm ? 0 : 30) : (f.acknowledgedAt ? 15 : 0) + (f.incidentAt ? 15 : 0);
  points += (entityRight ? 25 : 0) + (classRight ? 15 : 0) + (mitigated ? 30 : 0);
  points -= 5 * f.hints + 5 * wrongTarget.length;
  points = Math.max(0, Math.min(100, points));

  const summary = noFault
    ? `${entityRight && classRight ? "Right: nothing was wrong." : "Wrong: nothing was wrong."}${falseAlarm ? " An incident was declared on a healthy lab." : ""}${levers.length ? ` ${levers.length} lever(s) pulled on a healthy lab.` : ""}`
    : `${entityRight && classRight ? "Right diagnosis" : answer ? "Wrong diagnosis" : "No diagnosis"}; ${
        mitigated
          ? `mitigated (within the SLO for ${wholeMinutes(exercise.withinSloMinutes)} from ${recovered!.slice(11, 16)} UTC)`
          : accepted
            ? `an accepted lever, but the faulty SLIs were not within their SLO for ${wholeMinutes(exercise.withinSloMinutes)} after it before the end`
            : "not mitigated"
      }.`;
  return {
    points,
    acknowledged: { at: f.acknowledgedAt, afterSeconds: seconds(clock, f.acknowledgedAt) },
    falseAlarm,
    diagnosis: {
      entity: answer?.entity ?? null,
      faultClass: answer?.faultClass ?? null,
      entityRight,
      classRight,
      rightAfterSeconds: firstRight ? seconds(clock, firstRight.at) : null,
    },
    mitigation: {
      lever: accepted?.lever ?? null,
      at: accepted?.at ?? null,
      afterSeconds: accepted ? seconds(clock, accepted.at) : null,
      withinSlo: mitigated,
      recoveredAt: recovered,
    },
    wrongTargetActions: wrongTarget.map((l) => ({ at: l.at, lever: l.lever, action: l.action, target: l.target })),
    collateralMinutes: collateral,
    hints: f.hints,
    summary,
  };
}
