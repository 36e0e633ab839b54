// On-call exercises as data (exercises/*.yaml): what the player may read (a title and a briefing), the
// hidden part (the faults to inject, on the exercise's clock, and the traffic), the ground truth (the faulty
// entity and fault class from a fixed vocabulary, the alerts expected to fire), the mitigations accepted and
// a time limit. A file is checked when it is read, like scenarios: every fault against the drill catalog,
// every alert against the SLOs, and the truth against what the faults actually touch, so an exercise whose
// answer is not the fault it injects fails at load with `file:line field: message`.
import { join } from "node:path";
import { z } from "zod";
import { labDocument, readLabDocuments, readYamlDirectory } from "../config/yaml-locations.ts";
import { type DrillDefinition, drillOf } from "../drills/drill-catalog.ts";
import { loadTrafficProfileDirectory } from "../simulator/traffic-profile.ts";
import { API_ROUTES } from "../contracts/api-catalog.ts";
import { ALERT_NAMES } from "../slo/burn-rate-tiers.ts";
import { JOURNEYS } from "../slo/journeys.ts";
import { type SloDefinition, loadSloDirectory } from "../slo/load-slos.ts";
import { ScenarioDrill } from "../scenarios/scenario-script.ts";

/** What can be at fault, as a player names it: one of the lab's entities, or nothing. */
export const FaultyEntity = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("service"), service: z.enum(["clinical", "billing", "gateway"]) }),
  z.strictObject({ kind: z.literal("shard"), shard: z.number().int().min(0).max(63) }),
  z.strictObject({ kind: z.literal("relay") }),
  z.strictObject({ kind: z.literal("projector") }),
  z.strictObject({ kind: z.literal("configuration"), service: z.enum(["clinical", "billing", "gateway"]) }),
  z.strictObject({ kind: z.literal("none") }),
]);
export type FaultyEntity = z.infer<typeof FaultyEntity>;

/** The classes of fault a diagnosis names; "none" is the right answer when nothing is wrong. */
export const FAULT_CLASSES = ["latency", "errors", "crash", "hang", "unavailable", "backlog", "misconfiguration", "overload", "blind-spot", "none"] as const;
export type FaultClass = (typeof FAULT_CLASSES)[number];

/**
 * The failure modes of seed 000 ("Failure Modes and Risks") that happen on one machine, each with the fault
 * classes that rehearse it: the catalog covers a mode with an exercise of one of its classes.
 */
export const FAILURE_MODES = {
  "slow or failing service": ["latency", "errors"],
  "crash loop": ["crash"],
  hang: ["hang"],
  "shard database unavailable": ["unavailable"],
  "event backlog and dead letters": ["backlog"],
  "misconfigured deployment": ["misconfiguration"],
  "traffic surge": ["overload"],
  "observability blind spot": ["blind-spot"],
} as const satisfies Record<string, readonly FaultClass[]>;
export type FailureMode = keyof typeof FAILURE_MODES;

/** The failure mode an exercise rehearses; null for a no-fault one. */
export function failureModeOf(e: Pick<Exercise, "truth">): FailureMode | null {
  const modes = Object.entries(FAILURE_MODES) as [FailureMode, readonly FaultClass[]][];
  return modes.find(([, classes]) => classes.includes(e.truth.faultClass))?.[0] ?? null;
}

/**
 * The lab's own levers an on-call player may pull, each on a target (docs/runbooks/levers.md): each is a
 * route the on-call role may call, and the score reads which the player pulled from the audit.
 */
export const Mitigation = z.discriminatedUnion("action", [
  z.strictObject({ action: z.literal("restart-process"), process: z.enum(["clinical", "billing", "gateway", "projector"]) }),
  z.strictObject({ action: z.literal("resume-process"), process: z.enum(["clinical", "billing", "gateway", "projector"]) }),
  z.strictObject({ action: z.literal("roll-back-config"), service: z.enum(["clinical", "billing", "gateway"]) }),
  z.strictObject({ action: z.literal("end-blocking-session"), shard: z.number().int().min(0).max(63) }),
  z.strictObject({ action: z.literal("resume-event-pipeline") }),
  z.strictObject({ action: z.literal("redrive-dead-letters") }),
  z.strictObject({ action: z.literal("shed-traffic") }),
  z.strictObject({ action: z.literal("none") }),
]);
export type Mitigation = z.infer<typeof Mitigation>;

/** A lever in words, as the levers panel names it. */
export function describeMitigation(m: Mitigation): string {
  switch (m.action) {
    case "restart-process":
      return `restart ${m.process}`;
    case "resume-process":
      return `resume ${m.process}`;
    case "roll-back-config":
      return `roll back ${m.service}'s configuration`;
    case "end-blocking-session":
      return `end the session blocking shard ${m.shard}`;
    case "resume-event-pipeline":
      return "resume the event pipeline";
    case "redrive-dead-letters":
      return "redrive the dead letters";
    case "shed-traffic":
      return "shed load at the gateway";
    case "none":
      return "none (nothing to mitigate)";
  }
}

const HiddenFault = ScenarioDrill.extend({ afterSeconds: z.number().int().min(0).max(86_400) });

export const ExerciseDocument = labDocument(
  "Exercise",
  {
    /** What the player sees: a title that does not give the answer away, and the page they were sent. */
    title: z.string().min(1).max(120),
    briefing: z.string().min(1).max(2000),
  },
  z.strictObject({
    timeLimitSeconds: z.number().int().min(60).max(7200),
    hidden: z.strictObject({
      traffic: z.strictObject({
        profile: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
        seed: z
          .number()
          .int()
          .min(0)
          .max(2 ** 31 - 1),
      }),
      faults: z.array(HiddenFault).max(10),
    }),
    truth: z.strictObject({
      entity: FaultyEntity,
      faultClass: z.enum(FAULT_CLASSES),
      expectedAlerts: z.array(z.strictObject({ slo: z.string().min(1).max(120), tier: z.enum(ALERT_NAMES) })).max(20),
    }),
    mitigations: z.array(Mitigation).min(1).max(10),
    /** Mitigated means the faulty SLIs stay within their SLO this long, not that a process is up. */
    withinSloMinutes: z.number().int().min(1).max(60).default(3),
  }),
);
type ExerciseSpec = z.infer<typeof ExerciseDocument>["spec"];

export interface Exercise {
  name: string;
  title: string;
  briefing: string;
  timeLimitSeconds: number;
  hidden: ExerciseSpec["hidden"];
  truth: ExerciseSpec["truth"];
  mitigations: Mitigation[];
  withinSloMinutes: number;
  /** The services the hidden faults' drills act on (their blast radius), read from the plans at load. */
  touchedServices: string[];
}

/**
 * The SLOs whose SLIs say whether a fault is mitigated: each expected alert's, and beside a latency SLO its
 * journey's availability SLO of the same side, so a lever that makes the slow requests fail fast (good news
 * for a latency SLI) does not pass for a fix.
 */
export function mitigationSlos(e: Pick<Exercise, "truth">, slos: readonly Pick<SloDefinition, "name" | "journey" | "source" | "sli">[]): string[] {
  const names = new Set<string>();
  for (const { slo: name } of e.truth.expectedAlerts) {
    names.add(name);
    const slo = slos.find((s) => s.name === name);
    const availability = slo?.sli.kind === "latency" && slos.find((s) => s.journey === slo.journey && s.source === slo.source && s.sli.kind === "availability");
    if (availability) names.add(availability.name);
  }
  return [...names];
}

/** The services a journey's requests reach: those serving the API actions it is counted from. */
function servicesOfJourney(journey: string): Set<string> {
  const actions = new Set<string>(JOURNEYS.find((j) => j.id === journey)?.actions ?? []);
  return new Set(API_ROUTES.filter((r) => actions.has(r.action)).map((r) => r.process));
}

/**
 * The SLOs a fault may burn, so their budget is the fault's and not the player's collateral damage: those of
 * the journeys that reach a service its drills touch (a patient's claims and an SRE's inspection go through
 * billing, whatever service their SLO names), the SLOs it is expected to alert on, and every one of them when
 * the fault is at the gateway or projector, which all journeys pass.
 */
export function touchedSlos(e: Pick<Exercise, "truth" | "touchedServices">, slos: readonly Pick<SloDefinition, "name" | "journey" | "service">[]): string[] {
  const services = new Set(e.touchedServices);
  if (services.has("gateway") || services.has("projector")) return slos.map((s) => s.name);
  const expected = new Set(e.truth.expectedAlerts.map((a) => a.slo));
  const reaches = (s: (typeof slos)[number]) => services.has(s.service) || [...servicesOfJourney(s.journey)].some((p) => services.has(p));
  return slos.filter((s) => expected.has(s.name) || reaches(s)).map((s) => s.name);
}

/** A no-fault exercise: "nothing is wrong" is its right answer. */
export const isNoFault = (e: Pick<Exercise, "truth">) => e.truth.entity.kind === "none";

/**
 * An exercise whose lab needs the machine to itself: a no-fault one (its latency SLOs would measure any
 * neighbour) and a surge (its fault is load that takes both cores, so it would be every neighbour's fault too).
 */
/** A surge: its fault is load that takes the machine. */
export const isSurge = (e: Pick<Exercise, "truth">) => e.truth.faultClass === "overload";

export const playsAlone = (e: Pick<Exercise, "truth">) => isNoFault(e) || isSurge(e);

/** The fault's drill and the entities the fault really touches, by what the drill's plan does. */
function touchedBy(fault: z.infer<typeof HiddenFault>): { drill: DrillDefinition; entities: FaultyEntity[]; services: string[] } | string {
  const drill = drillOf(fault.drill);
  if (!drill) return `no drill ${fault.drill} in the catalog`;
  const params = drill.params.safeParse(fault.params);
  if (!params.success) return params.error.issues.map((i) => `params.${i.path.join(".")}: ${i.message}`).join("; ");
  const { steps, radius } = drill.plan(params.data);
  const entities: FaultyEntity[] = [];
  for (const { apply } of steps) {
    if (apply.type === "set-event-faults") entities.push({ kind: "projector" });
    if (apply.type === "kill-process" || apply.type === "pause-process" || apply.type === "crash-loop-process") entities.push(serviceOrProcess(apply.process));
    if (apply.type === "start-traffic") entities.push({ kind: "service", service: "gateway" });
    if (apply.type === "set-faults") entities.push({ kind: "service", service: apply.service }, { kind: "configuration", service: apply.service });
    if (apply.type === "lock-shard") entities.push({ kind: "shard", shard: apply.shard });
  }
  if (fault.drill === "relay-pause") entities.push({ kind: "relay" });
  if (radius.shards !== "all") entities.push(...radius.shards.map((shard) => ({ kind: "shard" as const, shard })));
  return { drill, entities, services: radius.services };
}

function serviceOrProcess(process: string): FaultyEntity {
  if (process === "projector") return { kind: "projector" };
  return { kind: "service", service: process as "clinical" | "billing" | "gateway" };
}

export const sameEntity = (a: FaultyEntity, b: FaultyEntity) => JSON.stringify(a) === JSON.stringify(b);

/** What an exercise may name besides drills: the lab's SLOs and traffic profiles. */
export interface ExerciseVocabulary {
  slos: ReadonlySet<string>;
  profiles: ReadonlySet<string>;
}

export function loadExercises(files: readonly { file: string; text: string }[], known: ExerciseVocabulary): Exercise[] {
  return readLabDocuments(files, ExerciseDocument, { plural: "exercises", field: "exercise" }, ({ metadata, spec }, say) => {
    const touched: FaultyEntity[] = [];
    const touchedServices = new Set<string>();
    spec.hidden.faults.forEach((fault, i) => {
      const path = ["spec", "hidden", "faults", i];
      const touches = touchedBy(fault);
      if (typeof touches === "string") return say([...path, "drill"], touches);
      touched.push(...touches.entities);
      for (const service of touches.services) touchedServices.add(service);
      const longest = touches.drill.maxDurationSeconds;
      if (fault.durationSeconds > longest) say([...path, "durationSeconds"], `${fault.drill} runs ${longest} s at the most`);
      if (fault.afterSeconds + fault.durationSeconds > spec.timeLimitSeconds)
        say([...path, "durationSeconds"], `the fault outlasts the time limit (${spec.timeLimitSeconds} s)`);
    });
    if (!known.profiles.has(spec.hidden.traffic.profile))
      say(["spec", "hidden", "traffic", "profile"], `no traffic profile named ${spec.hidden.traffic.profile}`);
    spec.truth.expectedAlerts.forEach((a, i) => known.slos.has(a.slo) || say(["spec", "truth", "expectedAlerts", i, "slo"], `no SLO named ${a.slo}`));
    const noFault = spec.truth.entity.kind === "none";
    if (noFault !== (spec.truth.faultClass === "none"))
      say(["spec", "truth", "faultClass"], `a fault class of none goes with the entity none, and only with it`);
    if (noFault) {
      if (spec.hidden.faults.length > 0) say(["spec", "hidden", "faults"], "a no-fault exercise injects no fault");
      if (spec.truth.expectedAlerts.length > 0) say(["spec", "truth", "expectedAlerts"], "a no-fault exercise expects no alert");
      if (spec.mitigations.some((m) => m.action !== "none")) say(["spec", "mitigations"], "a no-fault exercise accepts only the mitigation none");
    } else {
      if (spec.hidden.faults.length === 0) say(["spec", "hidden", "faults"], "an exercise with a faulty entity injects at least one fault");
      if (spec.truth.expectedAlerts.length === 0) say(["spec", "truth", "expectedAlerts"], "an exercise with a fault expects at least one alert to fire");
      if (touched.length > 0 && !touched.some((e) => sameEntity(e, spec.truth.entity)))
        say(["spec", "truth", "entity"], `the hidden faults touch ${touched.map(describeEntity).join(", ")}, not ${describeEntity(spec.truth.entity)}`);
    }
    return { name: metadata.name, title: metadata.title, briefing: metadata.briefing, ...spec, touchedServices: [...touchedServices] };
  });
}

export function describeEntity(e: FaultyEntity): string {
  switch (e.kind) {
    case "service":
      return `the ${e.service} service`;
    case "shard":
      return `shard ${e.shard}`;
    case "configuration":
      return `the ${e.service} configuration`;
    case "none":
      return "nothing";
    default:
      return `the ${e.kind}`;
  }
}

export function loadExerciseDirectory(dir: string, known: ExerciseVocabulary, root = process.cwd()): Exercise[] {
  return loadExercises(readYamlDirectory(dir, root), known);
}

/** The lab's own catalog, named against its SLOs and traffic profiles (what its verification plays). */
export function loadLabExercises(root: string, dir = join(root, "exercises")): Exercise[] {
  const slos = new Set(loadSloDirectory(join(root, "slo"), root).map((s) => s.name));
  const profiles = new Set(loadTrafficProfileDirectory(join(root, "traffic-profiles"), root).map((p) => p.name));
  return loadExerciseDirectory(dir, { slos, profiles }, root);
}
