import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, migrationsDir, readMigrations } from "../data/migrations.ts";
import { type SqlDatabase, openSqlite } from "../data/sql-database.ts";
import { type DataJob, DataJobRequest, DataJobs, dataJobCommand } from "./data-jobs.ts";

const root = resolve(import.meta.dirname, "../..");
const admin = { userId: "usr-admin", role: "admin" as const };
const meta = { requestId: "req-job-1", traceId: null };

/** A stand-in command per request: prints progress lines the way the real commands do off a terminal. */
const script = (request: DataJobRequest) => ({
  command: process.execPath,
  args: [
    "-e",
    request.kind === "generate"
      ? `console.error("45% | 450/1000 patients"); setTimeout(() => { console.log("lab:generate seed ${request.seed}: done"); }, 50)`
      : `console.error("replay: read models differ"); process.exit(1)`,
  ],
});

async function finished(jobs: DataJobs, id: string): Promise<DataJob> {
  for (let i = 0; i < 200; i++) {
    const job = jobs.get(id);
    if (job.state !== "running") return job;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${id} did not finish`);
}

describe("the lab's data jobs", () => {
  // The jobs' control database: only this process opens it, so it may live in memory.
  let db: SqlDatabase;
  beforeAll(async () => {
    db = openSqlite(":memory:", "control");
    await migrate(db, readMigrations(migrationsDir(root, "sqlite", "control")));
  });
  afterAll(() => db.close());

  it("runs a job's command, keeps its output, refuses a second job while one runs, and audits its start and end", async () => {
    const jobs = new DataJobs({ root, env: { PATH: "/usr/bin:/bin" }, control: db, command: script });
    const job = await jobs.start(admin, { kind: "generate", patients: 1000, seed: 7 }, meta);
    await expect(jobs.start(admin, { kind: "replay" }, meta)).rejects.toMatchObject({ status: 409, field: "kind" });
    const done = await finished(jobs, job.id);
    expect(done).toMatchObject({ state: "succeeded", exitCode: 0, startedBy: "usr-admin", output: ["45% | 450/1000 patients", "lab:generate seed 7: done"] });
    const failed = await finished(jobs, (await jobs.start(admin, { kind: "replay" }, meta)).id);
    expect(failed).toMatchObject({ state: "failed", exitCode: 1, output: ["replay: read models differ"] });
    expect(jobs.list().map((j) => j.kind)).toEqual(["replay", "generate"]);
    await new Promise((r) => setTimeout(r, 100)); // the end's audit is written after the exit
    const audit = await db.query<{ action: string; outcome: string }>(
      `SELECT "action", "outcome" FROM "audit_entries" WHERE "action" LIKE 'supervisor.data-%' ORDER BY "sequence"`,
    );
    expect(audit).toEqual([
      { action: "supervisor.data-generate", outcome: "success" },
      { action: "supervisor.data-generate", outcome: "success" },
      { action: "supervisor.data-replay", outcome: "success" },
      { action: "supervisor.data-replay", outcome: "failed" },
    ]);
    expect(() => jobs.get("job-none")).toThrow(/no data job/);
  });

  it("builds the same commands a person types, and refuses requests outside the bounds naming the field", () => {
    expect(dataJobCommand("/repo", { kind: "generate", patients: 500, seed: 3 }).args).toEqual([
      "--import",
      "tsx",
      "/repo/scripts/lab-generate.ts",
      "--patients",
      "500",
      "--seed",
      "3",
    ]);
    expect(dataJobCommand("/repo", { kind: "replay", since: "24h" }).args).toEqual(["--import", "tsx", "/repo/scripts/lab-replay.ts", "--since", "24h"]);
    expect(DataJobRequest.safeParse({ kind: "generate", patients: 0, seed: 1 }).error?.issues[0]?.path).toEqual(["patients"]);
    expect(DataJobRequest.safeParse({ kind: "replay", since: "forever" }).error?.issues[0]?.path).toEqual(["since"]);
    expect(DataJobRequest.safeParse({ kind: "drop-tables" }).success).toBe(false);
  });
});
