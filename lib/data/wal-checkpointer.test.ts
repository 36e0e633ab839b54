import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openSqlite } from "./sql-database.ts";
import { startWalCheckpointer } from "./wal-checkpointer.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function writeNotes(file: string, rows: number) {
  const db = openSqlite(file, "test", { autoCheckpoint: false });
  await db.executeScript('CREATE TABLE IF NOT EXISTS "notes" ("id" INTEGER PRIMARY KEY, "body" TEXT NOT NULL)');
  for (let i = 0; i < rows; i++) await db.transaction((tx) => tx.execute('INSERT INTO "notes" ("body") VALUES (?)', ["x".repeat(2000)]));
  return db;
}

function tempFile() {
  const dir = mkdtempSync(join(tmpdir(), "pimlab-wal-"));
  dirs.push(dir);
  return join(dir, "shard.db");
}

describe("the WAL checkpointer", () => {
  // Pages reach the database file only through a checkpoint; until then they live in the -wal file.
  it("leaves committed pages in the log when nothing checkpoints (the writer no longer does)", async () => {
    const file = tempFile();
    const db = await writeNotes(file, 300);
    try {
      await new Promise((r) => setTimeout(r, 200));
      expect(statSync(file).size).toBeLessThan(100_000);
      expect(statSync(`${file}-wal`).size).toBeGreaterThan(600_000);
    } finally {
      await db.close();
    }
  });

  it("copies committed pages into the database file on its worker", async () => {
    const file = tempFile();
    const db = await writeNotes(file, 1);
    const checkpointer = startWalCheckpointer([file], { everyMs: 50 });
    try {
      for (let i = 0; i < 300; i++) await db.transaction((tx) => tx.execute('INSERT INTO "notes" ("body") VALUES (?)', ["y".repeat(2000)]));
      await expect.poll(() => statSync(file).size, { timeout: 3000 }).toBeGreaterThan(600_000);
    } finally {
      await checkpointer.stop();
      await db.close();
    }
  });

  it("reports a file it cannot checkpoint and stops cleanly", async () => {
    const errors: string[] = [];
    const checkpointer = startWalCheckpointer(["/nonexistent-dir/shard.db"], { everyMs: 20, onError: (file, error) => errors.push(`${file}: ${error}`) });
    await new Promise((r) => setTimeout(r, 300));
    await checkpointer.stop();
    expect(errors.join("\n")).toMatch(/unable to open|directory does not exist/i);
  });
});
