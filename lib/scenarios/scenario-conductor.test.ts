import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../auth/roles.ts";
import { migrate, migrationsDir, readMigrations } from "../data/migrations.ts";
import { type SqlDatabase, openSqlite } from "../data/sql-database.ts";
import type { SloReport } from "../slo/slo-status.ts";
import { ScenarioConductor } from "./scenario-conductor.ts";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "pimlab-scenario-"));
const instructor: Actor = { userId: "usr-instructor", role: "instructor", facilityId: null, patientId: null };
const meta = { requestId: "req-scenario-test", traceId: "4bf92f3577b34da6a3ce929d0e0e4736" };
const SLO = "clinician-record-diagnosis-latency";
const report = (budgetRemaining: number) =>
  ({ slos: [{ name: SLO, budgetRemaining, displayName: "Record diagnosis", tiers: [], transitions: [], noData: null }] }) as unknown as SloReport;

describe("the scenario conductor's budgets", () => {
  let control: SqlDatabase;
  beforeAll(async () => {
    control = openSqlite(join(dir, "control.db"), "control");
    await migrate(control, readMigrations(migrationsDir(root, "sqlite", "control")));
  });
  afterAll(async () => {
    await control?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const conductor = (sloReport: (timeoutMs: number) => Promise<SloReport>, errors: string[] = []) =>
    new ScenarioConductor({
      scenarios: [
        { name: "quiet-talk", title: "A talk", description: "", watch: [SLO], steps: [{ afterSeconds: 0, cue: "Look at the board." }], durationSeconds: 3600 },
      ],
      engine: {
        launch: async () => Promise.reject(new Error("no drill here")),
        abort: async () => Promise.reject(new Error("none")),
        get: async () => Promise.reject(new Error("none")),
      },
      control,
      sloReport,
      retryAfterMs: 1,
      onError: (message) => errors.push(message),
    });

  it("reads the budgets at the start again when the gateway's report fails, with more time than a page's read, within the portal's wait", async () => {
    const timeouts: number[] = [];
    let calls = 0;
    const c = conductor(async (timeoutMs) => {
      timeouts.push(timeoutMs);
      if (++calls < 3) throw new Error("timed out");
      return report(0.97);
    });
    const run = await c.start(instructor, "quiet-talk", meta);
    expect(run.budgetsAtStart).toEqual({ [SLO]: 0.97 });
    expect(timeouts).toHaveLength(3);
    // More than the 3 s a page's read gets, and all of it within the 10 s the portal waits for the start.
    expect(timeouts[0]).toBeGreaterThan(3000);
    expect(Math.max(...timeouts)).toBeLessThanOrEqual(7500);
    const stopped = await c.stop(instructor, run.id);
    expect(stopped.budgetsAtEnd).toEqual({ [SLO]: 0.97 });
    expect((await c.narrative(run.id)).summary).toContain(`0 % of the budget of ${SLO} spent`);
    await c.close();
  });

  it("gives up after its tries, says so, and the narrative says the spend is unknown", async () => {
    const errors: string[] = [];
    const c = conductor(async () => Promise.reject(new Error("timed out")), errors);
    const run = await c.start(instructor, "quiet-talk", meta);
    expect(run.budgetsAtStart).toBeNull();
    expect(errors).toEqual([expect.stringMatching(/the SLOs could not be read for its budgets \(3 tries\)/)]);
    await c.stop(instructor, run.id);
    expect((await c.narrative(run.id)).summary).toContain("budget spend unknown");
    await c.close();
  });
});
