// The part of OpenSLO v1 the lab reads (kinds SLO and SLI), as zod schemas. The lab's SLIs come from its
// own counters, so a metric source has type "pim-lab" and names a journey, the side that counted it
// (server: the gateway; client: the simulator) and, for latency, the bucket a good request finishes within.
import { z } from "zod";
import { JOURNEY_IDS } from "./journeys.ts";

/** Latency histogram bounds (ms) of the lab's SLI counters; a latency SLO's threshold must be one of them. */
export const LATENCY_BUCKETS_MS = [25, 50, 100, 250, 500, 1000, 2500, 5000, 10000] as const;

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const Name = z.string().regex(NAME, "must be a DNS label: lowercase letters, digits and '-', at most 63 characters");

const Metadata = z.object({
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
    .refine((ms) => (LATENCY_BUCKETS_MS as readonly number[]).includes(ms), { message: `must be one of the SLI histogram bounds: ${LATENCY_BUCKETS_MS.join(", ")} ms` })
    .optional(),
});
export type LabSource = z.infer<typeof LabSource>;

const MetricSource = z.object({
  metricSourceRef: z.string().optional(),
  type: z.literal("pim-lab", { message: "must be pim-lab: the lab's SLIs are its own journey counters" }),
  spec: LabSource,
});

const RatioMetric = z
  .object({
    counter: z.literal(true, { message: "must be true: the lab's SLI counters only go up" }),
    good: z.object({ metricSource: MetricSource }).optional(),
    bad: z.object({ metricSource: MetricSource }).optional(),
    total: z.object({ metricSource: MetricSource }),
  })
  .refine((r) => (r.good === undefined) !== (r.bad === undefined), { message: "give exactly one of good and bad", path: ["good"] });

export const SliSpec = z.object({
  description: z.string().optional(),
  thresholdMetric: z.never({ message: "threshold metrics are not supported: use ratioMetric" }).optional(),
  ratioMetric: RatioMetric,
});

export const SliDocument = z.object({ apiVersion: z.literal("openslo/v1"), kind: z.literal("SLI"), metadata: Metadata, spec: SliSpec });

const Duration = z.string().regex(/^[1-9][0-9]*[mhdw]$/, "must be a whole number of m, h, d or w (e.g. 30d); calendar units (M, Q, Y) are not supported");

export const SloDocument = z.object({
  apiVersion: z.literal("openslo/v1"),
  kind: z.literal("SLO"),
  metadata: Metadata,
  spec: z
    .object({
      description: z.string().optional(),
      service: Name,
      indicator: z.object({ metadata: Metadata, spec: SliSpec }).optional(),
      indicatorRef: Name.optional(),
      timeWindow: z
        .array(z.object({ duration: Duration, isRolling: z.literal(true, { message: "must be true: the lab's windows roll" }) }))
        .length(1, "give one time window"),
      budgetingMethod: z.literal("Occurrences", { message: "must be Occurrences: the lab counts requests, not time slices" }),
      objectives: z
        .array(
          z.object({
            displayName: z.string().optional(),
            target: z.number().gt(0, "must be above 0").lt(1, "must be below 1 (e.g. 0.999)").optional(),
            targetPercent: z.number().gt(0, "must be above 0").lt(100, "must be below 100 (e.g. 99.9)").optional(),
          }),
        )
        .length(1, "give one objective per SLO"),
    })
    .refine((s) => (s.indicator === undefined) !== (s.indicatorRef === undefined), { message: "give exactly one of indicator and indicatorRef", path: ["indicator"] }),
});

export const ServiceDocument = z.object({
  apiVersion: z.literal("openslo/v1"),
  kind: z.literal("Service"),
  metadata: Metadata,
  spec: z.object({ description: z.string().optional() }).optional(),
});
