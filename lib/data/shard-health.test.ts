import { describe, expect, it } from "vitest";
import { openSqlite } from "./sql-database.ts";
import { shardHealth } from "./shard-health.ts";

describe("shard health", () => {
  it("reports each shard's patients and answer time, and a shard whose database fails as unreachable with the reason", async () => {
    const up = openSqlite(":memory:", "shard-0");
    await up.executeScript(`CREATE TABLE "patients" ("id" TEXT PRIMARY KEY); INSERT INTO "patients" VALUES ('pat-1'), ('pat-2');`);
    const down = openSqlite(":memory:", "shard-1"); // no patients table: the query fails as a broken shard would
    const health = await shardHealth({ shards: [{ index: 0, label: "shard-0", sql: up }, { index: 1, label: "shard-1", sql: down }] as never });
    expect(health[0]).toMatchObject({ shard: 0, label: "shard-0", reachable: true, patients: 2, error: null });
    expect(health[0]!.latencyMs).toBeGreaterThanOrEqual(0);
    expect(health[1]).toMatchObject({ shard: 1, reachable: false, patients: null });
    expect(health[1]!.error).toMatch(/patients/);
    up.close();
    down.close();
  });
});
