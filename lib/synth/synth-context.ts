// What generating one patient needs: the seed, the reference date, the facilities with their providers,
// a pseudonymizer, and a random source that faker shares.
import { Faker, base, en, en_US } from "@faker-js/faker";
import type { Pseudonymizer } from "../privacy/pseudonymize.ts";
import { SeededRandom } from "./random.ts";

export interface FacilityRef {
  id: string;
  kind: string;
  providerIds: readonly string[];
}

export interface SynthContext {
  seed: number;
  /** Generated data is placed in time relative to this instant, never to the wall clock. */
  asOf: Date;
  facilities: readonly FacilityRef[];
  pseudonymize: Pseudonymizer;
  rng: SeededRandom;
  faker: Faker;
}

/** The reference date of generated data unless a caller picks another: fixed, so output is reproducible. */
export const DEFAULT_AS_OF = new Date("2026-11-01T00:00:00.000Z");

export function createSynthContext(options: { seed: number; asOf?: Date; facilities: readonly FacilityRef[]; pseudonymize: Pseudonymizer }): SynthContext {
  const rng = new SeededRandom(options.seed);
  // Faker calls the randomizer's methods detached, so hand it closures over the shared source.
  const faker = new Faker({ locale: [en_US, en, base], randomizer: { next: () => rng.next(), seed: (s) => rng.seed(s) } });
  return { seed: options.seed, asOf: options.asOf ?? DEFAULT_AS_OF, facilities: options.facilities, pseudonymize: options.pseudonymize, rng, faker };
}

export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;
