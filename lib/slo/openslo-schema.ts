// The part of OpenSLO v1 the lab reads (kinds SLO, SLI and Service), as zod schemas. The lab's SLIs come from its
// own counters, so a metric source has type "pim-lab" and names a journey, the side that counted it
// (server: the gateway; client: the simulator) and, for latency, the bucket a good request finishes within.
// Every object is strict: a field the lab does not read is refused, never silently dropped, and the OpenSLO v1
// fields the lab leaves out on purpose are listed with why and what to write instead.
import { z } from "zod";
import { JOURNEY_IDS } from "./journeys.ts";

/** Latency histogram bounds (ms) of the lab's SLI counters; a latency SLO's threshold must be one of them. */
export const LATENCY_BUCKETS_MS = [25, 50, 100, 250, 500, 1000, 2500, 5000, 10000] as const;

/** Annotation that turns tiers off for one SLO: a comma-separated list of tier names. */
export const DISABLED_TIERS_ANNOTATION = "pim-lab/disabled-tiers";

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const Name = z.string().regex(NAME, "must be a DNS label: lowercase letters, digits and '-', at most 63 characters");

/** OpenSLO v1 fields the lab deliberately does not read: each refused with why and what to do instead. */
function unread<const K extends string>(keys: readonly K[], why: string) {
  return Object.fromEntries(keys.map((key) => [key, z.never({ message: `the lab does not read ${key}: ${why}` }).optional()])) as Record<
    K,
    z.ZodOptional<z.ZodNever>
  >;
}

const Metadata = z.strictObject({
  name: Name,
  displayName: z.string().min(1).optional(),
  labels: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

const LabSource = z.strictObject({
  journey: z.string().refine((j) => JOURNEY_IDS.has(j), { message: `must be a journey of lib/slo/journeys.ts (${[...JOURNEY_IDS].join(", ")})` }),
  source: z.enum(["server", "client"]),
  /** Good requests: those that did not fail (availability). */
  outcome: z.literal("success").optional(),
  /** Good requests: those answered within this many milliseconds (latency). */
  latencyBelowMs: z
    .number()
    .refine((ms) => (LATENCY_BUCKETS_MS as readonly number[]).includes(ms), {
      message: `must be one of the SLI histogram bounds: ${LATENCY_BUCKETS_MS.join(", ")} ms`,
    })
    .optional(),
});
export type LabSource = z.infer<typeof LabSource>;

const MetricSource = z.strictObject({
  metricSourceRef: z.string().optional(),
  type: z.literal("pim-lab", { message: "must be pim-lab: the lab's SLIs are its own journey counters" }),
  spec: LabSource,
});

const Counter = z.strictObject({ metricSource: MetricSource });

const RatioMetric = z
  .strictObject({
    counter: z.literal(true, { message: "must be true: the lab's SLI counters only go up" }),
    good: Counter.optional(),
    bad: Counter.optional(),
    total: Counter,
    ...unread(["raw", "rawType"], "the lab divides its own good and total counters, it reads no precomputed ratio; give good and total"),
  })
  .refine((r) => (r.good === undefined) !== (r.bad === undefined), { message: "give exactly one of good and bad", path: ["good"] });

export const SliSpec = z.strictObject({
  description: z.string().optional(),
  ratioMetric: RatioMetric,
  ...unread(["thresholdMetric"], "the lab's SLIs are ratios of good to total requests; use ratioMetric"),
});

export const SliDocument = z.strictObject({ apiVersion: z.literal("openslo/v1"), kind: z.literal("SLI"), metadata: Metadata, spec: SliSpec });

const Duration = z.string().regex(/^[1-9][0-9]*[mhdw]$/, "must be a whole number of m, h, d or w (e.g. 30d); calendar units (M, Q, Y) are not supported");

export const SloDocument = z.strictObject({
  apiVersion: z.literal("openslo/v1"),
  kind: z.literal("SLO"),
  metadata: Metadata,
  spec: z
    .strictObject({
      description: z.string().optional(),
      service: Name,
      indicator: z.strictObject({ metadata: Metadata, spec: SliSpec }).optional(),
      indicatorRef: Name.optional(),
      timeWindow: z
        .array(
          z.strictObject({
            duration: Duration,
            isRolling: z.literal(true, { message: "must be true: the lab's windows roll" }),
            ...unread(["calendar"], "the lab's windows roll, none is aligned to a calendar; drop calendar and keep isRolling: true"),
          }),
        )
        .length(1, "give one time window"),
      budgetingMethod: z.literal("Occurrences", { message: "must be Occurrences: the lab counts requests, not time slices" }),
      objectives: z
        .array(
          z.strictObject({
            displayName: z.string().optional(),
            target: z.number().gt(0, "must be above 0").lt(1, "must be below 1 (e.g. 0.999)").optional(),
            targetPercent: z.number().gt(0, "must be above 0").lt(100, "must be below 100 (e.g. 99.9)").optional(),
            ...unread(
              ["op", "value"],
              "op and value compare a threshold metric, and the lab's SLIs are ratios; give target (e.g. 0.999) or targetPercent (e.g. 99.9)",
            ),
            ...unread(
              ["timeSliceTarget", "timeSliceWindow"],
              "the lab counts requests, not time slices (budgetingMethod: Occurrences); give target (e.g. 0.999) or targetPercent (e.g. 99.9)",
            ),
          }),
        )
        .length(1, "give one objective per SLO"),
      ...unread(
        ["alertPolicies"],
        `the lab's alerts are the burn-rate tiers it generates for every SLO (lib/slo/burn-rate-tiers.ts); drop alertPolicies, and turn a tier off with the annotation ${DISABLED_TIERS_ANNOTATION}`,
      ),
    })
    .refine((s) => (s.indicator === undefined) !== (s.indicatorRef === undefined), {
      message: "give exactly one of indicator and indicatorRef",
      path: ["indicator"],
    }),
});

export const ServiceDocument = z.strictObject({
  apiVersion: z.literal("openslo/v1"),
  kind: z.literal("Service"),
  metadata: Metadata,
  spec: z.strictObject({ description: z.string().optional() }).optional(),
});
