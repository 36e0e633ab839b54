// Facilities and their providers, generated from the seed. Ids are by position (fac-0001, prv-0001-03) so a
// rerun or a resumed run finds the same reference rows.
import { FACILITY_KINDS, SPECIALTIES } from "./catalog.ts";
import { uniqueDigits } from "./generate-patient.ts";
import { DAY_MS, type SynthContext } from "./synth-context.ts";

export interface FacilityRow {
  id: string;
  name: string;
  kind: string;
  city: string;
  region: string;
  bedCount: number;
  createdAt: Date;
}

export interface ProviderRow {
  id: string;
  facilityId: string;
  npiToken: string;
  givenName: string;
  familyName: string;
  specialty: string;
  createdAt: Date;
}

const KIND_LABEL: Record<string, string> = { hospital: "General Hospital", clinic: "Family Clinic", "urgent-care": "Urgent Care" };

export function generateReference(ctx: Pick<SynthContext, "seed" | "asOf" | "rng" | "faker" | "pseudonymize">, facilityCount: number) {
  const facilities: FacilityRow[] = [];
  const providers: ProviderRow[] = [];
  const clearNpis: string[] = [];
  for (let f = 0; f < facilityCount; f++) {
    ctx.rng.seed([ctx.seed, -1, f]);
    const kind = ctx.rng.weighted(FACILITY_KINDS);
    const city = ctx.faker.location.city();
    const id = `fac-${String(f + 1).padStart(4, "0")}`;
    facilities.push({
      id,
      name: `${city} ${KIND_LABEL[kind]}`,
      kind,
      city,
      region: ctx.faker.location.state({ abbreviated: true }),
      bedCount: kind === "hospital" ? ctx.rng.int(80, 600) : kind === "urgent-care" ? ctx.rng.int(0, 8) : 0,
      createdAt: new Date(ctx.asOf.getTime() - ctx.rng.int(400, 4000) * DAY_MS),
    });
    const count = kind === "hospital" ? ctx.rng.int(14, 24) : ctx.rng.int(5, 10);
    for (let p = 0; p < count; p++) {
      // Ten digits starting with 0: shaped like a national provider id, never a real one; unique by position.
      const npi = `0${uniqueDigits(ctx.seed, f * 1000 + p, 9)}`;
      clearNpis.push(npi);
      providers.push({
        id: `prv-${String(f + 1).padStart(4, "0")}-${String(p + 1).padStart(2, "0")}`,
        facilityId: id,
        npiToken: ctx.pseudonymize("npi", npi),
        givenName: ctx.faker.person.firstName(),
        familyName: ctx.faker.person.lastName(),
        specialty: kind === "hospital" ? ctx.rng.pick(SPECIALTIES) : ctx.rng.pick(SPECIALTIES.slice(0, 3)),
        createdAt: new Date(ctx.asOf.getTime() - ctx.rng.int(30, 3000) * DAY_MS),
      });
    }
  }
  return { facilities, providers, clearNpis };
}
