import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../auth/roles.ts";
import { migrate, migrationsDir, readMigrations } from "../data/migrations.ts";
import { type SqlDatabase, openSqlite } from "../data/sql-database.ts";
import { LoadShedding } from "./load-shedding.ts";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "pimlab-shedding-"));
const oncall: Actor = { userId: "usr-oncall", role: "oncall", facilityId: null, patientId: null };
const meta = { requestId: "req-shed", traceId: null };

describe("load shedding", () => {
  let db: SqlDatabase;
  beforeAll(async () => {
    db = openSqlite(join(dir, "control.db"), "control");
    await migrate(db, readMigrations(migrationsDir(root, "sqlite", "control")));
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("admits everything while off, and counts what is in flight", () => {
    const shedding = new LoadShedding(db);
    const releases = Array.from({ length: 50 }, () => shedding.admit("patient"));
    expect(releases.every((r) => r !== null)).toBe(true);
    expect(shedding.status()).toMatchObject({ maxInFlight: null, inFlight: 50, shed: 0 });
    for (const release of releases) release!();
    expect(shedding.status().inFlight).toBe(0);
  });

  it("sheds what is over the cap until a place is given back, once per admitted request, and ends at its deadline", async () => {
    const shedding = new LoadShedding(db);
    const now = new Date("2026-12-07T10:00:00Z");
    await shedding.set(oncall, { maxInFlight: 2, durationSeconds: 60 }, { ...meta, now });
    const t = now.getTime() + 1000;
    const first = shedding.admit("patient", t)!;
    shedding.admit("clinician", t);
    expect(shedding.admit("billing", t)).toBeNull();
    first();
    first(); // a second release gives back nothing more
    expect(shedding.admit("patient", t)).not.toBeNull();
    expect(shedding.admit("patient", t)).toBeNull();
    expect(shedding.status(t)).toMatchObject({ maxInFlight: 2, inFlight: 2, shed: 2, admitted: 3, setBy: "usr-oncall", until: "2026-12-07T10:01:00.000Z" });
    // At the deadline the cap is gone by itself.
    expect(shedding.admit("patient", now.getTime() + 60_000)).not.toBeNull();
    expect(shedding.status(now.getTime() + 60_000).maxInFlight).toBeNull();
  });

  it("counts and sheds only the named personas' requests, and a new cap counts from when it is set", async () => {
    const shedding = new LoadShedding(db);
    const before = shedding.admit("patient")!; // in flight before any cap
    await shedding.set(oncall, { maxInFlight: 1, personas: ["patient"], durationSeconds: 60 }, meta);
    const patient = shedding.admit("patient")!;
    expect(shedding.admit("patient")).toBeNull();
    const clinicians = Array.from({ length: 20 }, () => shedding.admit("clinician"));
    expect(clinicians.every((r) => r !== null)).toBe(true);
    expect(shedding.admit(null)).not.toBeNull(); // a caller with no persona is nobody's rush
    before(); // answered: it was never counted, so the patient's place stays taken
    expect(shedding.admit("patient")).toBeNull();
    await shedding.set(oncall, { maxInFlight: 1, personas: ["patient"], durationSeconds: 60 }, meta);
    patient(); // admitted under the old cap: gives back nothing of the new one's
    expect(shedding.admit("patient")).not.toBeNull();
    expect(shedding.admit("patient")).toBeNull();
    expect(shedding.status()).toMatchObject({ personas: ["patient"], shed: 1 });
  });

  it("lets only those who may shed traffic set or lift it, and audits both under the caller", async () => {
    const shedding = new LoadShedding(db);
    const patient: Actor = { userId: "usr-p", role: "patient", facilityId: null, patientId: "pat-1" };
    await expect(shedding.set(patient, { maxInFlight: 5, durationSeconds: 60 }, meta)).rejects.toMatchObject({ status: 403 });
    await shedding.set(oncall, { maxInFlight: 5, durationSeconds: 60 }, meta);
    await shedding.clear(oncall, meta);
    const rows = await db.query<{ action: string; actorId: string }>(`SELECT "action", "actorId" FROM "audit_entries" ORDER BY "sequence"`);
    expect(rows.slice(-2).map((r) => [r.action, r.actorId])).toEqual([
      ["traffic.shed-on", "usr-oncall"],
      ["traffic.shed-off", "usr-oncall"],
    ]);
  });
});
