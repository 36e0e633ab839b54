import { describe, expect, it } from "vitest";
import { openSqlite } from "./sql-database.ts";
import { shardHealth } from "./shard-health.ts";

describe("shard health", () => {
  it("reports each shard's patients (not a fenced bucket's copy) and answer time, and a shard whose database fails as unreachable with the reason", async () => {
    const up = openSqlite(":memory:", "shard-0");
    await up.executeScript(
      `CREATE TABLE "patients" ("id" TEXT PRIMARY KEY, "bucket" INTEGER); INSERT INTO "patients" VALUES ('pat-1', 1), ('pat-2', 2), ('pat-3', 9); CREATE TABLE "bucket_fences" ("bucket" INTEGER); INSERT INTO "bucket_fences" VALUES (9);`,
    );
    const down = openSqlite(":memory:", "shard-1"); // no tables: the queries fail as a broken shard's would
    const health = await shardHealth({
      shards: [
        { index: 0, label: "shard-0", readSql: up },
        { index: 1, label: "shard-1", readSql: down },
      ] as never,
    });
    expect(health[0]).toMatchObject({ shard: 0, label: "shard-0", reachable: true, patients: 2, error: null });
    expect(health[0]!.latencyMs).toBeGreaterThanOrEqual(0);
    expect(health[1]).toMatchObject({ shard: 1, reachable: false, patients: null });
    expect(health[1]!.error).toMatch(/no such table/);
    up.close();
    down.close();
  });
});
