// The simulator's cast: the virtual users its journeys run as. Clinicians work at real facilities of the
// lab (with its providers), patients are real synthetic patients, billing admins and SREs are lab-wide.
// Each virtual user is a lab token signed with the lab's key, so the gateway and the services check
// them like any other caller's (role, facility, own record) and the audit trail names them.
import { issueLabToken } from "../auth/tokens.ts";
import type { Role } from "../auth/roles.ts";
import type { SqlDatabase } from "../data/sql-database.ts";
import { LabError } from "../errors/index.ts";

export interface CastFacility {
  id: string;
  providerIds: string[];
  patientIds: string[];
}

export interface VirtualUser {
  role: Role;
  userId: string;
  facilityId: string | null;
  patientId: string | null;
  /** A warm-up user: its requests are counted as warm-up, not towards the SLIs. */
  traffic?: "warmup";
}

export interface SimulationCast {
  /** Facilities with at least one provider and one patient: where clinicians work. */
  facilities: CastFacility[];
  /** Patients who act as the patient persona, with their facility. */
  patients: { id: string; facilityId: string }[];
  /** The bearer token of a virtual user (minted once, refreshed before it expires). */
  tokenOf(user: VirtualUser): Promise<string>;
}

export interface CastOptions {
  /** Patients sampled per shard (they stand in for the clinic's list and the patient persona). */
  patientsPerShard?: number;
  tokenTtlSeconds?: number;
  now?: () => number;
}

/** Where the cast is read from: the control database and every shard (plain SQL: no ORM in the simulator). */
export interface CastSource {
  control: SqlDatabase;
  shards: readonly SqlDatabase[];
}

/** Reads the lab once and returns a cast whose tokens are signed with `signingKey`. */
export async function loadSimulationCast(source: CastSource, signingKey: Uint8Array, options: CastOptions = {}): Promise<SimulationCast> {
  const perShard = options.patientsPerShard ?? 400;
  const [facilities, providers] = await Promise.all([
    source.control.query<{ id: string }>(`SELECT "id" FROM "facilities" ORDER BY "id"`),
    source.control.query<{ id: string; facilityId: string }>(`SELECT "id", "facilityId" FROM "providers" ORDER BY "id"`),
  ]);
  const sampled = (
    await Promise.all(
      source.shards.map((s) => s.query<{ id: string; facilityId: string }>(`SELECT "id", "facilityId" FROM "patients" ORDER BY "id" LIMIT ?`, [perShard])),
    )
  ).flat();
  const byFacility = new Map<string, CastFacility>(facilities.map((f) => [f.id, { id: f.id, providerIds: [], patientIds: [] }]));
  for (const p of providers) byFacility.get(p.facilityId)?.providerIds.push(p.id);
  for (const p of sampled) byFacility.get(p.facilityId)?.patientIds.push(p.id);
  const working = [...byFacility.values()].filter((f) => f.providerIds.length > 0 && f.patientIds.length > 0);
  if (working.length === 0)
    throw new LabError("setup", "the lab has no facility with providers and patients; start it once with npm run lab (it seeds an empty lab)");
  return { facilities: working, patients: sampled, tokenOf: tokenCache(signingKey, options.tokenTtlSeconds ?? 3600, options.now ?? Date.now) };
}

/** The same cast with every virtual user a warm-up user (the simulator's warm-up after a lab start). */
export function warmUpCast(cast: SimulationCast): SimulationCast {
  return { ...cast, tokenOf: (user) => cast.tokenOf({ ...user, traffic: "warmup" }) };
}

function tokenCache(signingKey: Uint8Array, ttlSeconds: number, now: () => number): SimulationCast["tokenOf"] {
  const cache = new Map<string, { token: Promise<string>; renewAt: number }>();
  return (user) => {
    const key = `${user.role}|${user.userId}|${user.facilityId ?? ""}|${user.patientId ?? ""}|${user.traffic ?? ""}`;
    const hit = cache.get(key);
    if (hit && hit.renewAt > now()) return hit.token;
    // Renewed at half its life, so a long run never sends a token about to expire.
    const token = issueLabToken(
      signingKey,
      { userId: user.userId, role: user.role, facilityId: user.facilityId, patientId: user.patientId, ...(user.traffic ? { traffic: user.traffic } : {}) },
      { ttlSeconds },
    );
    cache.set(key, { token, renewAt: now() + (ttlSeconds * 1000) / 2 });
    return token;
  };
}
