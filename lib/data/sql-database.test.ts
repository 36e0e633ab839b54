import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type SqlDatabase, openSqlite } from "./sql-database.ts";

describe("SQLite connection", () => {
  let dir: string;
  let db: SqlDatabase;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "pimlab-sql-"));
    db = openSqlite(join(dir, "t.db"), "test");
    await db.executeScript(`CREATE TABLE "t" ("id" TEXT PRIMARY KEY, "at" DATETIME, "note" TEXT)`);
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs concurrent transactions one after another, so a failing one never takes the other's rows with it", async () => {
    const pause = () => new Promise((r) => setTimeout(r, 5));
    const order: string[] = [];
    const good = db.transaction(async (tx) => {
      order.push("good begins");
      await tx.execute(`INSERT INTO "t" ("id") VALUES ('a1')`);
      await pause();
      await tx.execute(`INSERT INTO "t" ("id") VALUES ('a2')`);
      order.push("good ends");
    });
    const bad = db.transaction(async (tx) => {
      order.push("bad begins");
      await tx.execute(`INSERT INTO "t" ("id") VALUES ('b1')`);
      await pause();
      throw new Error("fails half-way");
    });
    await good;
    await expect(bad).rejects.toThrow("fails half-way");
    expect(order).toEqual(["good begins", "good ends", "bad begins"]);
    expect((await db.query(`SELECT "id" FROM "t" ORDER BY "id"`)).map((r) => r.id)).toEqual(["a1", "a2"]);
  });

  it("lets a transaction's own nested calls join it, and keeps working after a failure", async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.transaction((inner) => inner.execute(`INSERT INTO "t" ("id") VALUES ('n1')`));
        throw new Error("outer fails");
      }),
    ).rejects.toThrow("outer fails");
    await db.transaction((tx) => tx.execute(`INSERT INTO "t" ("id") VALUES ('n2')`));
    expect((await db.query(`SELECT "id" FROM "t"`)).map((r) => r.id)).toEqual(["n2"]);
  });

  it("reads DATETIME columns back as the Dates written, and leaves text columns alone", async () => {
    const at = new Date("2026-03-04T05:06:07.089Z");
    await db.execute(`INSERT INTO "t" ("id", "at", "note") VALUES (?, ?, ?)`, ["d1", at, "2026-03-04T05:06:07.089Z"]);
    const [row] = await db.query(`SELECT "at", "note", "at" AS "again" FROM "t"`);
    expect(row).toEqual({ at, note: "2026-03-04T05:06:07.089Z", again: at });
  });
});
