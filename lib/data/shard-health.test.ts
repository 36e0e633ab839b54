import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
        { index: 0, label: "shard-0", readSql: up, sql: up },
        { index: 1, label: "shard-1", readSql: down, sql: down },
      ] as never,
    });
    expect(health[0]).toMatchObject({ shard: 0, label: "shard-0", reachable: true, patients: 2, error: null, takesWrites: true, writeError: null });
    expect(health[0]!.latencyMs).toBeGreaterThanOrEqual(0);
    expect(health[1]).toMatchObject({ shard: 1, reachable: false, patients: null, takesWrites: null });
    expect(health[1]!.error).toMatch(/no such table/);
    up.close();
    down.close();
  });

  it("says a shard whose write lock another session holds answers reads but takes no writes, and takes them again once the session ends", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pimlab-health-"));
    const file = join(dir, "shard-0.db");
    const shard = openSqlite(file, "shard-0");
    await shard.executeScript(`CREATE TABLE "patients" ("id" TEXT PRIMARY KEY, "bucket" INTEGER); CREATE TABLE "bucket_fences" ("bucket" INTEGER);`);
    const blocker = openSqlite(file, "blocker");
    let end!: () => void;
    const session = blocker.transaction(() => new Promise<void>((resolve) => (end = resolve)));
    await new Promise((r) => setTimeout(r, 20));
    const [locked] = await shardHealth({ shards: [{ index: 0, label: "shard-0", readSql: shard, sql: shard }] as never });
    expect(locked).toMatchObject({ reachable: true, patients: 0, takesWrites: false });
    expect(locked!.writeError).toMatch(/shard-0: the database is locked by another session/);
    end();
    await session;
    const [free] = await shardHealth({ shards: [{ index: 0, label: "shard-0", readSql: shard, sql: shard }] as never });
    expect(free).toMatchObject({ takesWrites: true, writeError: null });
    await blocker.close();
    await shard.close();
    rmSync(dir, { recursive: true, force: true });
  }, 20_000); // two databases and a lock wait, on a machine the integration tests keep busy
});
