import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Pool } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JourneySession } from "./journey-session.ts";
import { JourneyStats } from "./journey-stats.ts";

describe("JourneySession", () => {
  let server: Server;
  let pool: Pool;
  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end("{}"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
  afterAll(async () => {
    await pool.close();
    server.close();
  });

  const session = (dueAt: number) =>
    new JourneySession({
      pool,
      stats: new JourneyStats("patient/view-record"),
      dueAt,
      thinkTime: { type: "fixed", ms: 0 },
      random: Math.random,
      requestTimeoutMs: 5000,
      sampled: false,
      requestIdPrefix: "t-1",
    });

  it("counts a step its timer sent before its due time from its sending, never as a negative wait", async () => {
    const early = session(performance.now() + 5_000);
    await early.step({ method: "GET", path: "/" });
    expect(early.waitedMs).toBeGreaterThan(0);
    expect(early.waitedMs).toBeLessThan(5_000);
  });

  it("counts a step sent behind its schedule from its due time, the lag included", async () => {
    const late = session(performance.now() - 2_000);
    await late.step({ method: "GET", path: "/" });
    expect(late.waitedMs).toBeGreaterThanOrEqual(2_000);
  });
});
