import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openSqlite } from "../data/sql-database.ts";
import { migrateTelemetryStore } from "../telemetry/telemetry-store.ts";
import { addSliRollups } from "./sli-store.ts";
import { availabilitySlo, serverMinutes } from "./slo-fixture.ts";
import { sloHistory } from "./slo-history.ts";
import { sloReport } from "./slo-status.ts";

const dir = mkdtempSync(join(tmpdir(), "pimlab-slo-history-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const slo = availabilitySlo({ target: 0.99 });

describe("an SLO's minute-by-minute history", () => {
  it("gives each minute's budget and tier burn rates, ending where the SLO report stands", async () => {
    const store = openSqlite(join(dir, "telemetry.db"), "telemetry");
    await migrateTelemetryStore(store);
    try {
      const start = 29_000_000;
      // Twenty healthy minutes, then five with half the requests failing, then nothing (no traffic).
      await addSliRollups(
        store,
        serverMinutes(slo, start, 25, (i) => (i >= 20 ? 50 : 0)),
      );
      const now = new Date((start + 27) * 60_000 + 30_000);
      const history = await sloHistory(store, slo, now, 10);
      expect(history.points).toHaveLength(10);
      expect(history.points.map((p) => p.at.slice(11, 16))).toEqual(
        Array.from({ length: 10 }, (_, i) => new Date((start + 18 + i) * 60_000).toISOString().slice(11, 16)),
      );
      // The evaluation at start+21 sees the first bad minute: 50 failed of the short window's 500 requests
      // (10x the 1 % the budget allows), of the long window's 2,100 (all the data there is).
      const first = history.points.find((p) => p.at === new Date((start + 21) * 60_000).toISOString())!;
      expect(first).toMatchObject({ requests: 100, bad: 50 });
      expect(first.burn["page-fast"]!.short).toBeCloseTo(10, 9);
      expect(first.burn["page-fast"]!.long).toBeCloseTo(50 / 21, 9);
      // Budget falls through the bad minutes and stays put after: 250 bad of the 2,500 requests' 25 allowed.
      expect(history.points.at(-1)!.budgetRemaining).toBeCloseTo(1 - 250 / 25, 9);
      expect(history.points.at(-1)).toMatchObject({ requests: 0, bad: 0 });
      const report = await sloReport(store, [slo], now);
      expect(history.points.at(-1)!.budgetRemaining).toBe(report.slos[0]!.budgetRemaining);
      expect(history.points.at(-1)!.burn["page-fast"]!.long).toBe(report.slos[0]!.tiers.find((t) => t.tier === "page-fast")!.longBurnRate);
      expect(history.tiers.find((t) => t.tier === "page-fast")).toMatchObject({ factor: 14.4, longMinutes: 60, shortMinutes: 5 });
    } finally {
      await store.close();
    }
  });
});
