import { describe, expect, it } from "vitest";
import { LabError } from "../errors/index.ts";
import { loadConfig } from "./index.ts";

describe("lab configuration", () => {
  it("starts an embedded lab of four SQLite shards under .lab with no settings at all", () => {
    const config = loadConfig({}, "/repo");
    expect(config).toMatchObject({
      mode: "embedded",
      shardCount: 4,
      dataDir: "/repo/.lab",
      database: { kind: "sqlite", dir: "/repo/.lab" },
      portalPort: 3000,
      supervisorPort: 4900,
    });
    expect(config.usesEmbeddedSecret).toBe(true);
  });

  it("treats empty variables as unset", () => {
    expect(loadConfig({ LAB_SHARD_COUNT: "", LAB_MODE: "" }, "/repo").shardCount).toBe(4);
  });

  it("builds a PostgreSQL lab in full mode", () => {
    const config = loadConfig({
      LAB_MODE: "full",
      DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/postgres",
      LAB_SHARD_COUNT: "8",
      LAB_SECRET: "a-secret-of-our-own-123",
    });
    expect(config.database).toEqual({ kind: "postgresql", serverUrl: "postgresql://postgres@127.0.0.1:5432/postgres", namePrefix: "pimlab" });
    expect(config.shardCount).toBe(8);
  });

  it.each([
    [{ LAB_SHARD_COUNT: "four" }, /LAB_SHARD_COUNT: .*\(got "four"\)/],
    [{ LAB_SHARD_COUNT: "0" }, /LAB_SHARD_COUNT: .*(>=1|1)/],
    [{ LAB_MODE: "cluster" }, /LAB_MODE: .*"embedded".*"full".*\(got "cluster"\)/],
    [{ LAB_MODE: "full" }, /DATABASE_URL: required when LAB_MODE=full/],
    [{ LAB_MODE: "full", DATABASE_URL: "postgresql://h/db" }, /LAB_SECRET: required when LAB_MODE=full/],
    [{ DATABASE_URL: "postgresql://h:99999/db" }, /DATABASE_URL: must be a valid URL/],
    [{ DATABASE_URL: "mysql://x" }, /DATABASE_URL: must be a postgresql:\/\/ URL/],
    [{ LAB_SECRET: "short" }, /LAB_SECRET: must be at least 16 characters/],
    [{ PORTAL_PORT: "70000" }, /PORTAL_PORT/],
    [{ SUPERVISOR_PORT: "0" }, /SUPERVISOR_PORT/],
    [{ LAB_DB_PREFIX: "Bad-Name" }, /LAB_DB_PREFIX: must be lower-case/],
  ])("refuses %o with a message naming the variable and what it allows", (env, message) => {
    expect(() => loadConfig(env)).toThrow(LabError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it("never echoes a secret or a database URL back in its message", () => {
    expect(() => loadConfig({ LAB_SECRET: "hunter2" })).toThrow(/LAB_SECRET: must be at least 16 characters$/m);
    expect(() => loadConfig({ DATABASE_URL: "postgresql://u:pa55word@h:99999/db" })).not.toThrow(/pa55word/);
  });

  it("lists every bad variable at once", () => {
    try {
      loadConfig({ LAB_SHARD_COUNT: "x", PORTAL_PORT: "y" });
      expect.unreachable();
    } catch (err) {
      expect((err as LabError).code).toBe("setup");
      expect((err as LabError).problems).toHaveLength(2);
    }
  });
});
