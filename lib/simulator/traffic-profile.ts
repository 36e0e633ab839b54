// Traffic profiles: what the persona traffic simulator offers the lab, as YAML in traffic-profiles/.
// A profile names an arrival process of journeys (how many start per second, over time), the mix of
// persona journeys that arrive, and the think time between a journey's steps. Rates count journeys, not
// requests: a journey is a user's multi-step flow (lib/simulator/journey-flows.ts).
import { z } from "zod";
import { labDocument, readLabDocuments, readYamlDirectory } from "../config/yaml-locations.ts";
import { LabError } from "../errors/index.ts";
import { LatencyDistribution } from "../faults/fault-rules.ts";
import { ArrivalProfile } from "../load/arrival-processes.ts";
import { WALKED_JOURNEY_IDS } from "../slo/journeys.ts";

export const JourneyShare = z.strictObject({
  journey: z
    .string()
    .refine((j) => WALKED_JOURNEY_IDS.has(j), { message: `must be one of the lab's journeys that people walk (${[...WALKED_JOURNEY_IDS].join(", ")})` }),
  weight: z.number().positive().max(1_000_000),
});

export const TrafficProfileSpec = z.strictObject({
  arrivals: ArrivalProfile,
  /** Evenly spaced arrivals (a steady test) or Poisson (real users: independent, bursty at small scale). */
  spacing: z.enum(["even", "poisson"]).default("poisson"),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(1),
  durationSeconds: z
    .number()
    .int()
    .min(1)
    .max(7 * 86_400)
    .default(600),
  thinkTime: LatencyDistribution.default({ type: "exponential", meanMs: 500 }),
  /** Journeys in progress beyond this are not started (counted as dropped): the simulator must not melt. */
  maxInFlightJourneys: z.number().int().min(1).max(100_000).default(5_000),
  /**
   * Connections the users open to the gateway at most; requests beyond wait for one in the simulator. Real
   * users each have their own, so a rush opens many: with few, the simulator's queue would hold the rush back
   * from the lab and the lab would never see it. 64 when not given.
   */
  connections: z.number().int().min(1).max(4096).optional(),
  mix: z
    .array(JourneyShare)
    .min(1)
    .max(50)
    .refine((m) => new Set(m.map((s) => s.journey)).size === m.length, { message: "each journey may appear once" }),
});
export type TrafficProfileSpec = z.infer<typeof TrafficProfileSpec>;

export const TrafficProfileDocument = labDocument("TrafficProfile", { description: z.string().max(500).default("") }, TrafficProfileSpec);

export interface TrafficProfile {
  name: string;
  description: string;
  spec: TrafficProfileSpec;
}

export function loadTrafficProfiles(files: readonly { file: string; text: string }[]): TrafficProfile[] {
  return readLabDocuments(files, TrafficProfileDocument, { plural: "traffic profiles", field: "profile" }, ({ metadata, spec }) => ({
    name: metadata.name,
    description: metadata.description,
    spec,
  }));
}

export function loadTrafficProfileDirectory(dir: string, root = process.cwd()): TrafficProfile[] {
  return loadTrafficProfiles(readYamlDirectory(dir, root));
}

export function findTrafficProfile(profiles: readonly TrafficProfile[], name: string): TrafficProfile {
  const found = profiles.find((p) => p.name === name);
  if (!found)
    throw new LabError("not_found", `no traffic profile ${JSON.stringify(name)} (profiles: ${profiles.map((p) => p.name).join(", ")})`, { field: "profile" });
  return found;
}
