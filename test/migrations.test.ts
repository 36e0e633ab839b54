// The migration runner against real databases: applies in order once, refuses a changed or unknown
// applied file, and rolls a failing file back whole.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MigrationFile, migrate } from "../lib/data/migrations.ts";
import { type SqlDatabase, openPostgres, openSqlite } from "../lib/data/sql-database.ts";
import { postgresUrlFor } from "../lib/data/lab-topology.ts";
import { BACKENDS, POSTGRES_URL } from "./support/test-labs.ts";

const file = (name: string, sql: string): MigrationFile => ({ name, sql, checksum: `sum-of-${sql.length}-${sql}`.slice(0, 64) });
const first = file("0001_a.sql", `CREATE TABLE "a" ("id" INTEGER NOT NULL PRIMARY KEY);`);
const second = file("0002_b.sql", `CREATE TABLE "b" ("id" INTEGER NOT NULL PRIMARY KEY); INSERT INTO "a" ("id") VALUES (1);`);

describe.each(BACKENDS)("migration runner on %s", (backend) => {
  let db: SqlDatabase;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    if (backend === "sqlite") {
      const dir = mkdtempSync(join(tmpdir(), "pimlab-mig-"));
      db = openSqlite(join(dir, "m.db"), "m");
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const name = `t_mig_${randomBytes(5).toString("hex")}`;
      const admin = new pg.Client({ connectionString: POSTGRES_URL });
      await admin.connect();
      await admin.query(`CREATE DATABASE "${name}"`);
      await admin.end();
      db = openPostgres(postgresUrlFor(POSTGRES_URL, name), "m");
      cleanup = async () => {
        const a = new pg.Client({ connectionString: POSTGRES_URL });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await a.end();
      };
    }
  });
  afterAll(async () => {
    await db?.close();
    await cleanup?.();
  });

  it("applies pending files in order, once", async () => {
    expect((await migrate(db, [first])).applied).toEqual(["0001_a.sql"]);
    expect((await migrate(db, [first, second])).applied).toEqual(["0002_b.sql"]);
    const again = await migrate(db, [first, second]);
    expect(again).toMatchObject({ applied: [], alreadyApplied: 2 });
    expect(await db.query(`SELECT "id" FROM "a"`)).toEqual([{ id: 1 }]);
  });

  it("refuses to run when an applied file has changed, naming the file", async () => {
    const edited = { ...first, checksum: "edited".padEnd(64, "0") };
    await expect(migrate(db, [edited, second])).rejects.toThrow(/migration 0001_a\.sql was changed after it was applied/);
  });

  it("refuses to run when the database has a migration the code does not know", async () => {
    await expect(migrate(db, [first])).rejects.toThrow(/0002_b\.sql is applied to the database but missing from the code/);
  });

  it("rolls back the whole of a file that fails part-way, and records nothing for it", async () => {
    const broken = file("0003_broken.sql", `CREATE TABLE "c" ("id" INTEGER NOT NULL PRIMARY KEY); INSERT INTO "nope" VALUES (1);`);
    await expect(migrate(db, [first, second, broken])).rejects.toThrow();
    const tables =
      backend === "sqlite"
        ? await db.query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'c'`)
        : await db.query(`SELECT tablename FROM pg_tables WHERE tablename = 'c'`);
    expect(tables).toEqual([]);
    expect((await db.query(`SELECT "name" FROM "lab_migrations" ORDER BY "name"`)).map((r) => r.name)).toEqual(["0001_a.sql", "0002_b.sql"]);
  });
});
