// Fault injection as data: which requests a rule matches (route, shard, persona, method) and what it does
// to them (latency from a distribution, an error at a rate, a hang, or, at the gateway, an answer that is
// not counted in its journey's SLI). Off unless a rule is set; every rule expires. The drill engine and
// the SRE's control API set them; the services and the gateway apply them per request.
import { z } from "zod";
import { ROLES } from "../auth/roles.ts";

const Ms = z.number().int().min(0).max(600_000);

export const LatencyDistribution = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("fixed"), ms: Ms }),
  z
    .strictObject({ type: z.literal("uniform"), minMs: Ms, maxMs: Ms })
    .refine((d) => d.minMs <= d.maxMs, { message: "minMs must not exceed maxMs", path: ["minMs"] }),
  z.strictObject({ type: z.literal("normal"), meanMs: Ms, stdDevMs: Ms }),
  z.strictObject({ type: z.literal("exponential"), meanMs: Ms }),
]);
export type LatencyDistribution = z.infer<typeof LatencyDistribution>;

export const FaultEffect = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("latency"), distribution: LatencyDistribution, rate: z.number().min(0).max(1).default(1) }),
  z.strictObject({
    kind: z.literal("error"),
    status: z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503), z.literal(504)]),
    rate: z.number().min(0).max(1),
  }),
  z.strictObject({ kind: z.literal("hang"), rate: z.number().min(0).max(1), forMs: Ms.default(120_000) }),
  // A blind spot: the request is served as usual, but the process that counts SLIs (the gateway) does not
  // count it, as a release that drops a journey's label would. Only the gateway takes it.
  z.strictObject({ kind: z.literal("unrecorded"), rate: z.number().min(0).max(1).default(1) }),
]);
export type FaultEffect = z.infer<typeof FaultEffect>;

export const FaultRuleInput = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be lower-case letters, digits and -"),
  match: z
    .strictObject({
      routes: z.array(z.string().startsWith("/").max(200)).max(50).optional(),
      methods: z.array(z.enum(["GET", "POST", "PATCH", "PUT", "DELETE"])).optional(),
      shards: z.array(z.number().int().min(0).max(63)).max(64).optional(),
      personas: z.array(z.enum(ROLES)).optional(),
    })
    .default({}),
  effect: FaultEffect,
  durationSeconds: z.number().int().min(1).max(86_400),
});
export type FaultRuleInput = z.infer<typeof FaultRuleInput>;

export const FaultRulesInput = z
  .strictObject({ rules: z.array(FaultRuleInput).max(50) })
  .refine((v) => new Set(v.rules.map((r) => r.id)).size === v.rules.length, {
    message: "rule ids must be unique",
    path: ["rules"],
  });

export interface FaultRule extends FaultRuleInput {
  expiresAt: Date;
  setBy: string;
}

export interface RequestFacts {
  route: string;
  method: string;
  shard: number | null;
  persona: string | null;
}

export type FaultDecision = { delayMs: number; fail: { status: number; ruleId: string } | null; hangMs: number; unrecorded: boolean };

const NONE: FaultDecision = { delayMs: 0, fail: null, hangMs: 0, unrecorded: false };

export function matches(rule: FaultRule, facts: RequestFacts, now: Date): boolean {
  if (rule.expiresAt <= now) return false;
  const m = rule.match;
  if (m.routes && !m.routes.includes(facts.route)) return false;
  if (m.methods && !m.methods.includes(facts.method as never)) return false;
  if (m.shards && (facts.shard === null || !m.shards.includes(facts.shard))) return false;
  if (m.personas && (facts.persona === null || !m.personas.includes(facts.persona as never))) return false;
  return true;
}

export function sampleLatency(d: LatencyDistribution, random: () => number): number {
  switch (d.type) {
    case "fixed":
      return d.ms;
    case "uniform":
      return d.minMs + random() * (d.maxMs - d.minMs);
    case "normal": {
      // Box-Muller; latency is never negative.
      const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      return Math.max(0, d.meanMs + z * d.stdDevMs);
    }
    case "exponential":
      return -Math.log(1 - random()) * d.meanMs;
  }
}

/** The words a failing service would answer with at this status: an injected failure reads as a real one. */
export function failureDetail(status: number): string {
  switch (status) {
    case 429:
      return "too many requests; retry shortly";
    case 502:
      return "a dependency answered badly";
    case 503:
      return "the service is unavailable; retry shortly";
    case 504:
      return "a dependency did not answer in time";
    default:
      return "the request could not be completed";
  }
}

/** What the matching rules do to one request: latencies add up, the first error or hang that fires wins, any unrecorded rule that fires hides it from its SLI. */
export function decideFault(rules: readonly FaultRule[], facts: RequestFacts, now: Date, random: () => number = Math.random): FaultDecision {
  let decision = NONE;
  for (const rule of rules) {
    if (!matches(rule, facts, now)) continue;
    const e = rule.effect;
    if (random() >= e.rate) continue;
    if (e.kind === "latency") decision = { ...decision, delayMs: decision.delayMs + sampleLatency(e.distribution, random) };
    else if (e.kind === "error" && !decision.fail && !decision.hangMs) decision = { ...decision, fail: { status: e.status, ruleId: rule.id } };
    else if (e.kind === "hang" && !decision.fail && !decision.hangMs) decision = { ...decision, hangMs: e.forMs };
    else if (e.kind === "unrecorded") decision = { ...decision, unrecorded: true };
  }
  return decision;
}
