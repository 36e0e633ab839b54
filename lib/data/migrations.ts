// The lab's migration runner: plain SQL files per provider and database role, applied in name order,
// one transaction per file, recorded with a checksum. A file changed after it was applied stops the run.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { LabError } from "../errors/index.ts";
import type { DatabaseRole } from "./lab-topology.ts";
import type { SqlDatabase } from "./sql-database.ts";

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export function migrationsDir(root: string, provider: string, role: DatabaseRole): string {
  return join(root, "prisma", "migrations", provider, role);
}

export function readMigrations(dir: string): MigrationFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/** Any fixed number: the key of the advisory lock that serializes migration runners on PostgreSQL. */
const MIGRATION_LOCK_ID = 7_042_611;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "lab_migrations" (
  "name" VARCHAR(200) NOT NULL PRIMARY KEY,
  "checksum" VARCHAR(64) NOT NULL,
  "appliedAt" VARCHAR(40) NOT NULL
)`;

export interface MigrationResult {
  database: string;
  applied: string[];
  alreadyApplied: number;
}

/** Applies the pending files to one database, after checking every applied file is unchanged. */
export async function migrate(db: SqlDatabase, files: MigrationFile[], now = () => new Date()): Promise<MigrationResult> {
  await db.executeScript(CREATE_TABLE);
  const applied = await db.query<{ name: string; checksum: string }>(`SELECT "name", "checksum" FROM "lab_migrations"`);
  const known = new Map(files.map((f) => [f.name, f]));
  for (const row of applied) {
    const file = known.get(row.name);
    if (!file) {
      throw new LabError(
        "setup",
        `${db.label}: migration ${row.name} is applied to the database but missing from the code; ` + `run a build that has it, or recreate the database`,
      );
    }
    if (file.checksum !== row.checksum) {
      throw new LabError(
        "setup",
        `${db.label}: migration ${row.name} was changed after it was applied ` +
          `(checksum ${row.checksum.slice(0, 12)} in the database, ${file.checksum.slice(0, 12)} on disk); ` +
          `restore the file and put the change in a new migration`,
      );
    }
  }
  const done = new Set(applied.map((r) => r.name));
  const appliedNow: string[] = [];
  for (const file of files) {
    if (done.has(file.name)) continue;
    const ran = await db.transaction(async (tx) => {
      // Runners serialize here (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction-scoped advisory lock),
      // then look again: another runner may have applied the file while this one waited.
      if (tx.dialect === "postgresql") await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`);
      const [already] = await tx.query(`SELECT 1 AS "x" FROM "lab_migrations" WHERE "name" = ?`, [file.name]);
      if (already) return false;
      await tx.executeScript(file.sql);
      await tx.execute(`INSERT INTO "lab_migrations" ("name", "checksum", "appliedAt") VALUES (?, ?, ?)`, [file.name, file.checksum, now().toISOString()]);
      return true;
    });
    if (ran) appliedNow.push(file.name);
  }
  return { database: db.label, applied: appliedNow, alreadyApplied: done.size };
}
