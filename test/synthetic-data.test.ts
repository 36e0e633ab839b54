// The generator: the same seed gives the same lab, a resumed run ends where a single run does, the same
// data lands on SQLite and PostgreSQL, and no clear identifier reaches the database.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { LabDatabases } from "../lib/data/lab-databases.ts";
import { rowsChecksum } from "../lib/data/move-bucket.ts";
import { CONTROL_TABLES, PATIENT_ROOTED_TABLES, type TableSpec } from "../lib/data/tables.ts";
import type { GeneratedPatient } from "../lib/synth/generate-patient.ts";
import { generateLabData } from "../lib/synth/generate-lab-data.ts";
import { BACKENDS, type TestLab, createTestLab } from "./support/test-labs.ts";

const labs: TestLab[] = [];
afterAll(async () => Promise.all(labs.map((l) => l.dispose())));
async function newLab(backend: "sqlite" | "postgresql" = "sqlite", secret?: string) {
  const t = await createTestLab(backend, { secret });
  labs.push(t);
  return t;
}

/** Per-table checksums of everything the generator wrote, read through Prisma so backends compare. */
async function fingerprint(lab: LabDatabases): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const read = async (client: LabDatabases["control"]["prisma"], spec: TableSpec) => {
    const delegate = (client as unknown as Record<string, { findMany(): Promise<Record<string, unknown>[]> }>)[
      spec.model.charAt(0).toLowerCase() + spec.model.slice(1)
    ]!;
    return delegate.findMany();
  };
  for (const spec of PATIENT_ROOTED_TABLES) {
    const rows = (await Promise.all(lab.shards.map((s) => read(s.prisma, spec)))).flat();
    out[spec.table] = `${rows.length}:${rowsChecksum(rows, spec.columns)}`;
  }
  for (const spec of CONTROL_TABLES.filter((t) => ["facilities", "providers", "users"].includes(t.table))) {
    const rows = await read(lab.control.prisma, spec);
    out[spec.table] = `${rows.length}:${rowsChecksum(rows, spec.columns)}`;
  }
  return out;
}

describe("synthetic data generation", () => {
  it("writes identical data for the same seed and different data for another seed", async () => {
    const [a, b, c] = [await newLab(), await newLab(), await newLab()];
    await generateLabData(a.lab, { patients: 250, seed: 7 });
    await generateLabData(b.lab, { patients: 250, seed: 7 });
    await generateLabData(c.lab, { patients: 250, seed: 8 });
    const fa = await fingerprint(a.lab);
    expect(await fingerprint(b.lab)).toEqual(fa);
    const fc = await fingerprint(c.lab);
    expect(fc.patients).not.toEqual(fa.patients);
    expect(fc.claims).not.toEqual(fa.claims);
  });

  it("finishes an interrupted run on rerun with exactly what one uninterrupted run writes", async () => {
    const whole = await newLab();
    await generateLabData(whole.lab, { patients: 300, seed: 3, batchSize: 100 });
    const resumed = await newLab();
    await expect(
      generateLabData(resumed.lab, {
        patients: 300,
        seed: 3,
        batchSize: 100,
        onProgress: (p) => {
          if (p.done >= 200) throw new Error("interrupted");
        },
      }),
    ).rejects.toThrow("interrupted");
    const rerun = await generateLabData(resumed.lab, { patients: 300, seed: 3, batchSize: 100 });
    expect(rerun.skipped).toBe(200);
    expect(rerun.written).toBe(100);
    expect(await fingerprint(resumed.lab)).toEqual(await fingerprint(whole.lab));
  });

  it.runIf(BACKENDS.includes("postgresql"))("writes the same data to PostgreSQL as to SQLite", async () => {
    const lite = await newLab("sqlite");
    const pg = await newLab("postgresql");
    await generateLabData(lite.lab, { patients: 200, seed: 21 });
    await generateLabData(pg.lab, { patients: 200, seed: 21 });
    expect(await fingerprint(pg.lab)).toEqual(await fingerprint(lite.lab));
  });

  it("draws plausible populations: both sexes near half, every age band present, several encounters each", async () => {
    const t = await newLab();
    const seen: GeneratedPatient[] = [];
    await generateLabData(t.lab, { patients: 2000, seed: 99, onPatient: (p) => seen.push(p) });
    const patients = seen.flatMap((p) => p.rows.Patient);
    const female = patients.filter((p) => p.sex === "female").length / patients.length;
    expect(female).toBeGreaterThan(0.46);
    expect(female).toBeLessThan(0.55);
    const ages = patients.map((p) => 2026 - (p.birthDate as Date).getUTCFullYear());
    expect(ages.filter((a) => a < 18).length / ages.length).toBeGreaterThan(0.15);
    expect(ages.filter((a) => a >= 65).length / ages.length).toBeGreaterThan(0.12);
    expect(Math.max(...ages)).toBeLessThanOrEqual(101);
    const encounters = seen.reduce((n, p) => n + p.rows.Encounter.length, 0) / seen.length;
    expect(encounters).toBeGreaterThan(1.5);
    expect(encounters).toBeLessThan(5);
    const claims = seen.flatMap((p) => p.rows.Claim);
    for (const c of claims) expect(c.totalCents).toBeGreaterThan(0);
    expect(new Set(claims.map((c) => c.status))).toEqual(new Set(["draft", "submitted", "adjudicated", "paid", "denied"]));
  });

  it.each(BACKENDS)("stores no clear identifier anywhere in the %s databases", async (backend) => {
    const t = await newLab(backend);
    const clear: string[] = [];
    await generateLabData(t.lab, { patients: 300, seed: 17, onPatient: (p) => clear.push(...Object.values(p.clear)) });
    expect(clear.length).toBe(1200);
    let haystack: string;
    if (backend === "sqlite") {
      const dir = t.config.dataDir;
      haystack = readdirSync(dir)
        .filter((f) => /\.db(-wal)?$/.test(f))
        .map((f) => readFileSync(join(dir, f)).toString("latin1"))
        .join("\n");
    } else {
      const parts: string[] = [];
      for (const s of t.lab.shards) {
        for (const spec of PATIENT_ROOTED_TABLES) {
          const rows = await s.sql.query<{ j: string }>(`SELECT row_to_json(x)::text AS "j" FROM "${spec.table}" x`);
          parts.push(...rows.map((r) => r.j));
        }
      }
      haystack = parts.join("\n");
    }
    expect(haystack.length).toBeGreaterThan(10_000);
    const leaked = clear.filter((value) => haystack.includes(value) || haystack.includes(value.replace(/-/g, "")));
    expect(leaked).toEqual([]);
  });
});
