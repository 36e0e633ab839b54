import { createServer } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openSqlite } from "../data/sql-database.ts";
import { migrateTelemetryStore } from "../telemetry/telemetry-store.ts";
import { startSloAlerting } from "./slo-alerting.ts";
import { embeddedSloSource } from "./slo-sources.ts";
import { addSliRollups } from "./sli-store.ts";
import { availabilitySlo, serverMinutes } from "./slo-fixture.ts";

const dir = mkdtempSync(join(tmpdir(), "pimlab-alerting-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const slo = availabilitySlo();

describe("SLO alert notifications", () => {
  it("posts an Alertmanager-format webhook when the fast page starts firing, and again when it resolves", async () => {
    const received: { status: string; alerts: { status: string; labels: Record<string, string>; startsAt: string }[] }[] = [];
    let failFirst = true;
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        // The first delivery fails: the notifier must retry it.
        if (failFirst) {
          failFirst = false;
          res.writeHead(503).end();
          return;
        }
        received.push(JSON.parse(body));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
    const store = openSqlite(join(dir, "telemetry.db"), "telemetry");
    await migrateTelemetryStore(store);
    try {
      const start = 29_000_000; // minutes since the epoch
      // An hour of healthy traffic, then ten minutes of a full outage.
      await addSliRollups(
        store,
        serverMinutes(slo, start, 70, (i) => (i >= 60 ? 100 : 0)),
      );
      const alerting = startSloAlerting({ source: embeddedSloSource(store, [slo]), webhooks: [url], attempts: 3 });
      const at = (minute: number) => new Date(minute * 60_000);
      expect(await alerting.evaluate(at(start + 60))).toEqual([]); // healthy so far
      // Replayed from the data: the page fires within the outage's first minutes.
      const firing = await alerting.evaluate(at(start + 70));
      expect(firing.map((a) => [a.status, a.labels.burnrate_tier])).toContainEqual(["firing", "page-fast"]);
      expect(await alerting.evaluate(at(start + 70))).toEqual([]); // no news, no post
      // Twenty quiet minutes later the short windows are clean again.
      await addSliRollups(
        store,
        serverMinutes(slo, start + 70, 20, () => 0),
      );
      const resolved = await alerting.evaluate(at(start + 90));
      expect(resolved.find((a) => a.labels.burnrate_tier === "page-fast")?.status).toBe("resolved");
      alerting.stop();
      expect(received.map((r) => r.alerts.find((a) => a.labels.burnrate_tier === "page-fast")?.status)).toEqual(["firing", "resolved"]);
      expect(received[0]!.alerts[0]!.labels).toMatchObject({ alertname: "PimLabErrorBudgetBurn", slo: slo.name, severity: "page" });
      expect(received[1]!.alerts.find((a) => a.labels.burnrate_tier === "page-fast")!.startsAt).toBe(at(start + 70).toISOString());
    } finally {
      await store.close();
      server.close();
    }
  });
});
