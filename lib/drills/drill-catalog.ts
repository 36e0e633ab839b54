// The drill catalog: the lab's failure modes (seed 000) as drills an SRE or instructor can launch. Each
// drill has a params schema and a plan: the exact actions it takes on which targets (what a dry run lists),
// each with the action that reverts it. Faults are applied through the supervisor (fault rules on a
// service or the projector, kill, pause), so its deadman reverts them at their deadline even when the drill
// engine is gone; traffic goes to the simulator with the deadline as its duration, so a spike ends by itself.
import { z } from "zod";
import { ROLES } from "../auth/roles.ts";
import type { EventFaultsInput } from "../events/event-faults.ts";
import { type FaultEffect, type FaultRuleInput, LatencyDistribution } from "../faults/fault-rules.ts";
import { API_ROUTES } from "../contracts/api-catalog.ts";
import { JOURNEYS, WALKED_JOURNEY_IDS, journeyOf } from "../slo/journeys.ts";

/** What a drill does to the lab; the engine adds deadlines when it applies them. */
export type DrillAction =
  | { type: "set-faults"; service: "clinical" | "billing" | "gateway"; rules: Omit<FaultRuleInput, "durationSeconds">[] }
  | { type: "set-event-faults"; faults: Omit<EventFaultsInput, "durationSeconds"> }
  | { type: "kill-process"; process: string }
  | { type: "pause-process"; process: string }
  | { type: "crash-loop-process"; process: string; crashAfterSeconds: number }
  | { type: "lock-shard"; shard: number }
  | { type: "start-traffic"; profile: string };

export interface DrillStep {
  /** What the step does, in words for the run view and the audit trail. */
  description: string;
  apply: DrillAction;
}

/** The blast radius of a plan: what it touches, checked against the guardrails before anything starts. */
export interface BlastRadius {
  services: string[];
  shards: number[] | "all";
  personas: string[] | "all";
}

export interface DrillDefinition<P = unknown> {
  key: string;
  title: string;
  /** The failure mode it rehearses, in the words of seed 000. */
  failureMode: string;
  params: z.ZodType<P>;
  /** The longest a run may last (guardrail), whatever the launcher asks. */
  maxDurationSeconds: number;
  /** The rollback a run gets unless the launcher chooses. */
  defaultRollback: "always" | "on-deviation";
  plan(params: P): { steps: DrillStep[]; radius: BlastRadius };
}

type ScopedToService = Parameters<typeof matchOf>[0] & { service: "clinical" | "billing" };

/** A plan of one step: one fault rule on the drill's service, matching the requests the params scope it to. */
function oneFaultRule(p: ScopedToService, id: string, effect: FaultEffect, description: string): { steps: DrillStep[]; radius: BlastRadius } {
  return {
    steps: [{ description, apply: { type: "set-faults", service: p.service, rules: [{ id, match: matchOf(p), effect }] } }],
    radius: radiusOf([p.service], p),
  };
}

/** Infers a drill's params type from its schema (defaults applied). */
function defineDrill<S extends z.ZodType>(definition: Omit<DrillDefinition<z.output<S>>, "params"> & { params: S }): DrillDefinition {
  return definition as unknown as DrillDefinition;
}

const RequestService = z.enum(["clinical", "billing"]);
const ProcessService = z.enum(["clinical", "billing", "gateway", "projector"]);
const Routes = z.array(z.string().startsWith("/").max(200)).min(1).max(20).optional();
const Shards = z.array(z.number().int().min(0).max(63)).min(1).max(64).optional();
const Personas = z.array(z.enum(ROLES)).min(1).optional();
const Rate = z.number().gt(0).max(1);

const matchOf = (p: { routes?: string[]; shards?: number[]; personas?: (typeof ROLES)[number][] }) => ({
  ...(p.routes ? { routes: p.routes } : {}),
  ...(p.shards ? { shards: p.shards } : {}),
  ...(p.personas ? { personas: p.personas } : {}),
});
const radiusOf = (services: string[], p: { shards?: number[]; personas?: string[] }): BlastRadius => ({
  services,
  shards: p.shards ?? "all",
  personas: p.personas ?? "all",
});

type RequestFaultParams<E extends z.ZodRawShape> = z.output<z.ZodObject<E>> & ScopedToService & { rate: number };

/**
 * A drill of one fault rule on a share of a service's requests: its params are the service, the effect's
 * own (`effect`), the share (`rate`, defaulting to `defaultRate`) and the requests it is scoped to; its plan
 * is the rule `rule` makes, described in words that end with the scope.
 */
function requestFaultDrill<E extends z.ZodRawShape>(d: {
  key: string;
  title: string;
  failureMode: string;
  effect: E;
  defaultRate: number;
  ruleId: string;
  rule: (p: RequestFaultParams<E>) => { effect: FaultEffect; description: string };
}): DrillDefinition {
  return defineDrill({
    key: d.key,
    title: d.title,
    failureMode: d.failureMode,
    params: z.strictObject({ service: RequestService, ...d.effect, rate: Rate.default(d.defaultRate), routes: Routes, shards: Shards, personas: Personas }),
    maxDurationSeconds: 1800,
    defaultRollback: "always",
    plan: (params) => {
      const p = params as RequestFaultParams<E>;
      const { effect, description } = d.rule(p);
      return oneFaultRule(p, d.ruleId, effect, `${description}${scope(p)}`);
    },
  });
}

const serviceLatency = requestFaultDrill({
  key: "service-latency",
  title: "Service latency",
  failureMode: "A dependency slows down: requests of a service take longer",
  effect: { latency: LatencyDistribution.default({ type: "exponential", meanMs: 400 }) },
  defaultRate: 1,
  ruleId: "drill-latency",
  rule: (p) => ({
    effect: { kind: "latency", distribution: p.latency, rate: p.rate },
    description: `add ${describeLatency(p.latency)} to ${pct(p.rate)} of ${p.service} requests`,
  }),
});

const errorBurst = requestFaultDrill({
  key: "error-burst",
  title: "Error burst",
  failureMode: "A service fails a share of its requests",
  effect: { status: z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503), z.literal(504)]).default(503) },
  defaultRate: 0.5,
  ruleId: "drill-errors",
  rule: (p) => ({ effect: { kind: "error", status: p.status, rate: p.rate }, description: `answer ${pct(p.rate)} of ${p.service} requests with ${p.status}` }),
});

/** A drill of one signal to a process for the run (a kill, a freeze): its one param is the process. */
function processSignalDrill(d: {
  key: string;
  title: string;
  failureMode: string;
  apply: "kill-process" | "pause-process";
  description: (process: string) => string;
}): DrillDefinition {
  return defineDrill({
    key: d.key,
    title: d.title,
    failureMode: d.failureMode,
    params: z.strictObject({ service: ProcessService }),
    maxDurationSeconds: 600,
    defaultRollback: "always",
    plan: (p) => ({ steps: [{ description: d.description(p.service), apply: { type: d.apply, process: p.service } }], radius: radiusOf([p.service], {}) }),
  });
}

const serviceCrash = processSignalDrill({
  key: "service-crash",
  title: "Service crash",
  failureMode: "A service process dies and is restarted by its supervisor",
  apply: "kill-process",
  description: (process) => `kill the ${process} process (SIGKILL); the supervisor restarts it with backoff`,
});

const serviceHang = processSignalDrill({
  key: "service-hang",
  title: "Service hang",
  failureMode: "A service stops answering without dying (a deadlock, a stop-the-world pause)",
  apply: "pause-process",
  description: (process) => `freeze the ${process} process (SIGSTOP) until the drill ends`,
});

const serviceCrashLoop = defineDrill({
  key: "service-crash-loop",
  title: "Crash loop",
  failureMode: "A process dies soon after every start (a bad release): restarts back off, then the supervisor gives up on it",
  params: z.strictObject({ service: ProcessService, crashAfterSeconds: z.number().int().min(1).max(300).default(8) }),
  maxDurationSeconds: 1800,
  defaultRollback: "always",
  plan: (p) => ({
    steps: [
      {
        description: `crash-loop the ${p.service} process: each start dies ${p.crashAfterSeconds} s after it listens, until the drill ends`,
        apply: { type: "crash-loop-process", process: p.service, crashAfterSeconds: p.crashAfterSeconds },
      },
    ],
    radius: radiusOf([p.service], {}),
  }),
});

const shardOutage = defineDrill({
  key: "shard-outage",
  title: "Shard outage",
  failureMode: "One shard's database stops taking writes (a session holds its lock): its patients' writes fail, the other shards' do not",
  params: z.strictObject({ shard: z.number().int().min(0).max(63) }),
  maxDurationSeconds: 1800,
  defaultRollback: "always",
  plan: (p) => ({
    steps: [
      {
        description: `open a session on shard ${p.shard}'s database that holds its write lock: its writes fail after the lock wait, its reads still answer`,
        apply: { type: "lock-shard", shard: p.shard },
      },
    ],
    radius: { services: ["clinical", "billing"], shards: [p.shard], personas: "all" },
  }),
});

const badConfigRollout = defineDrill({
  key: "bad-config-rollout",
  title: "Bad config rollout",
  failureMode: "A configuration change ships that breaks some requests and slows the rest; it must be rolled back",
  params: z.strictObject({ service: RequestService, errorRate: Rate.default(0.2), addedLatencyMs: z.number().int().min(0).max(30_000).default(250) }),
  maxDurationSeconds: 3600,
  // A rollout is kept unless the SLOs say it hurts: the abort conditions are its canary analysis.
  defaultRollback: "on-deviation",
  plan: (p) => ({
    steps: [
      {
        description: `roll out a bad ${p.service} config: ${pct(p.errorRate)} of requests fail with 500, the rest take ${p.addedLatencyMs} ms more`,
        apply: {
          type: "set-faults",
          service: p.service,
          rules: [
            { id: "drill-config-errors", match: {}, effect: { kind: "error", status: 500, rate: p.errorRate } },
            { id: "drill-config-latency", match: {}, effect: { kind: "latency", distribution: { type: "fixed", ms: p.addedLatencyMs }, rate: 1 } },
          ],
        },
      },
    ],
    radius: radiusOf([p.service], {}),
  }),
});

const trafficSpike = defineDrill({
  key: "traffic-spike",
  title: "Traffic spike",
  failureMode: "Demand jumps well above the usual: the lab must shed or absorb it",
  params: z.strictObject({
    profile: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be a traffic profile's name")
      .default("traffic-spike"),
  }),
  maxDurationSeconds: 900,
  defaultRollback: "always",
  plan: (p) => ({
    steps: [{ description: `replace the simulator's traffic with the ${p.profile} profile`, apply: { type: "start-traffic", profile: p.profile } }],
    radius: { services: ["gateway", "clinical", "billing"], shards: "all", personas: "all" },
  }),
});

/** The gateway's requests a journey counts: each API route whose action, made by the journey's persona, is the journey's. */
function journeyRequests(journeyId: string): { persona: (typeof ROLES)[number]; routes: { method: (typeof API_ROUTES)[number]["method"]; path: string }[] } {
  const journey = JOURNEYS.find((j) => j.id === journeyId)!;
  return {
    persona: journey.persona,
    routes: API_ROUTES.filter((r) => journeyOf(journey.persona, r.action) === journeyId).map(({ method, path }) => ({ method, path })),
  };
}

const telemetryGap = defineDrill({
  key: "telemetry-gap",
  title: "Telemetry gap",
  failureMode: "An observability blind spot: a gateway release stops counting some journeys' requests, so their SLOs go quiet while users go on",
  params: z.strictObject({
    journeys: z
      .array(z.string().refine((id) => WALKED_JOURNEY_IDS.has(id), "must be a journey people walk, such as clinician/record-diagnosis"))
      .min(1)
      .max(JOURNEYS.length)
      .default(["clinician/record-diagnosis"]),
    rate: Rate.default(1),
  }),
  maxDurationSeconds: 1800,
  defaultRollback: "always",
  plan: (p) => {
    const requests = p.journeys.map(journeyRequests);
    return {
      steps: [
        {
          description: `roll out a gateway config that stops counting ${p.rate < 1 ? `${pct(p.rate)} of ` : ""}the requests of ${p.journeys.join(", ")} in their SLIs (they are served as before)`,
          apply: {
            type: "set-faults",
            service: "gateway",
            rules: requests.flatMap(({ persona, routes }, j) =>
              routes.map((r, i) => ({
                id: `drill-unrecorded-${j}-${i}`,
                match: { routes: [r.path], methods: [r.method], personas: [persona] },
                effect: { kind: "unrecorded" as const, rate: p.rate },
              })),
            ),
          },
        },
      ],
      radius: { services: ["gateway"], shards: "all", personas: [...new Set(requests.map((r) => r.persona))] },
    };
  },
});

const consumerStall = defineDrill({
  key: "consumer-stall",
  title: "Consumer stall",
  failureMode: "The projector falls behind and some events cannot be projected: consumer lag and the dead-letter queue grow",
  params: z.strictObject({ delayMs: z.number().int().min(0).max(10_000).default(2000), failRate: z.number().min(0).max(1).default(0.1) }),
  maxDurationSeconds: 1800,
  defaultRollback: "always",
  plan: (p) => ({
    steps: [
      {
        description: `slow the projector by ${p.delayMs} ms per batch and fail ${pct(p.failRate)} of events (retried, then dead-lettered)`,
        apply: { type: "set-event-faults", faults: { relayPaused: false, consumerDelayMs: p.delayMs, consumerFailRate: p.failRate } },
      },
    ],
    radius: { services: ["projector"], shards: "all", personas: "all" },
  }),
});

const relayPause = defineDrill({
  key: "relay-pause",
  title: "Relay pause",
  failureMode: "The outbox relays stop publishing: events back up in every shard's outbox, read models go stale",
  params: z.strictObject({}),
  maxDurationSeconds: 1800,
  defaultRollback: "always",
  plan: () => ({
    steps: [
      {
        description: "pause every shard's outbox relay (events wait in the outboxes)",
        apply: { type: "set-event-faults", faults: { relayPaused: true, consumerDelayMs: 0, consumerFailRate: 0 } },
      },
    ],
    radius: { services: ["projector"], shards: "all", personas: "all" },
  }),
});

export const DRILLS: readonly DrillDefinition[] = [
  serviceLatency,
  errorBurst,
  serviceCrash,
  serviceHang,
  serviceCrashLoop,
  shardOutage,
  consumerStall,
  relayPause,
  badConfigRollout,
  trafficSpike,
  telemetryGap,
];

export function drillOf(key: string): DrillDefinition | undefined {
  return DRILLS.find((d) => d.key === key);
}

function pct(rate: number): string {
  return `${Math.round(rate * 1000) / 10} %`;
}

function describeLatency(d: z.infer<typeof LatencyDistribution>): string {
  switch (d.type) {
    case "fixed":
      return `${d.ms} ms`;
    case "uniform":
      return `${d.minMs}-${d.maxMs} ms (uniform)`;
    case "normal":
      return `${d.meanMs} ms ± ${d.stdDevMs} ms (normal)`;
    case "exponential":
      return `${d.meanMs} ms on average (exponential)`;
  }
}

function scope(p: { routes?: string[]; shards?: number[]; personas?: string[] }): string {
  const parts = [
    p.routes && `routes ${p.routes.join(", ")}`,
    p.shards && `shards ${p.shards.join(", ")}`,
    p.personas && `personas ${p.personas.join(", ")}`,
  ].filter(Boolean);
  return parts.length ? ` (${parts.join("; ")})` : "";
}

/** The lab process a step acts on (its fault switch, its pid, or the simulator's traffic). */
export function processOf(action: DrillStep["apply"]): string {
  switch (action.type) {
    case "set-faults":
      return action.service;
    case "set-event-faults":
      return "projector";
    case "start-traffic":
      return "simulator";
    case "lock-shard":
      return `shard-${action.shard}`;
    default:
      return action.process;
  }
}
