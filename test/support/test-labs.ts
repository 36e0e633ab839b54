// Real databases for integration tests: a SQLite lab in a temp directory, and a PostgreSQL lab of fresh
// databases on the server at LAB_TEST_DATABASE_URL (default 127.0.0.1:5432), dropped afterwards.
// scripts/test-all.sh decides whether PostgreSQL can be had; when it cannot (and CI is not set) it sets
// LAB_TEST_POSTGRES=unavailable and says which tests did not run.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { type LabConfig, loadConfig } from "../../lib/config/index.ts";
import { type LabDatabases, openLabDatabases, prepareLabDatabases } from "../../lib/data/lab-databases.ts";
import { labTopology } from "../../lib/data/lab-topology.ts";
import { type GenerateOptions, generateLabData } from "../../lib/synth/generate-lab-data.ts";

export const repoRoot = join(import.meta.dirname, "..", "..");
export const POSTGRES_URL = process.env.LAB_TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/** The secret of a test lab that is not given one. */
export const TEST_LAB_SECRET = "integration-test-secret-0123456789";

export type Backend = "sqlite" | "postgresql";
export const BACKENDS: Backend[] = process.env.LAB_TEST_POSTGRES === "unavailable" ? ["sqlite"] : ["sqlite", "postgresql"];

export interface TestLab {
  config: LabConfig;
  lab: LabDatabases;
  /** Closes connections and removes the databases. */
  dispose(): Promise<void>;
}

export function testConfig(backend: Backend, options: { shardCount?: number; secret?: string } = {}): { config: LabConfig; cleanup: () => Promise<void> } {
  const env: Record<string, string> = { LAB_SHARD_COUNT: String(options.shardCount ?? 4), LAB_SECRET: options.secret ?? TEST_LAB_SECRET };
  if (backend === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "pimlab-test-"));
    return {
      config: loadConfig({ ...env, LAB_DATA_DIR: dir }),
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const prefix = `t_${randomBytes(5).toString("hex")}`;
  const config = loadConfig({ ...env, LAB_MODE: "full", DATABASE_URL: POSTGRES_URL, LAB_DB_PREFIX: prefix });
  return { config, cleanup: () => dropPostgresLab(config) };
}

export async function dropPostgresLab(config: LabConfig): Promise<void> {
  const topology = labTopology(config);
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    for (const t of [topology.control, ...topology.shards]) await admin.query(`DROP DATABASE IF EXISTS "${t.databaseName}" WITH (FORCE)`);
    // The projector's read models and the SLI store, when a test opened them.
    if (config.database.kind === "postgresql") {
      for (const suffix of ["read_models", "telemetry"]) await admin.query(`DROP DATABASE IF EXISTS "${config.database.namePrefix}_${suffix}" WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}

export async function createTestLab(backend: Backend, options: { shardCount?: number; secret?: string; bulkWrites?: boolean } = {}): Promise<TestLab> {
  const { config, cleanup } = testConfig(backend, options);
  await prepareLabDatabases(config, repoRoot);
  const lab = await openLabDatabases(config, { bulkWrites: options.bulkWrites });
  return {
    config,
    lab,
    async dispose() {
      await lab.close();
      await cleanup();
    },
  };
}

/**
 * The databases of the lab `env` describes, migrated, opened and (given `seeding`) seeded: what a test does
 * before it starts the lab's processes on them.
 */
export async function openLabFromEnv(env: Record<string, string>, seeding?: GenerateOptions): Promise<{ config: LabConfig; lab: LabDatabases }> {
  const config = loadConfig(env);
  await prepareLabDatabases(config, repoRoot);
  const lab = await openLabDatabases(config, { bulkWrites: seeding !== undefined });
  if (seeding) await generateLabData(lab, seeding);
  return { config, lab };
}
