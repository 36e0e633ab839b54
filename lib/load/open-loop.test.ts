import { type Server, createServer } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { runOpenLoop } from "./open-loop.ts";

describe("open-loop load driver", () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  async function serve(handler: (answer: () => void) => void): Promise<string> {
    server = createServer((_req, res) => handler(() => res.end("ok")));
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  }

  it("sends exactly rate x duration requests on the clock and counts their answers", async () => {
    const origin = await serve((answer) => answer());
    const paths: string[] = [];
    const result = await runOpenLoop({
      origin,
      ratePerSecond: 200,
      durationMs: 1000,
      next: (i) => (paths.push(`/r/${i}`), { method: "GET", path: `/r/${i}` }),
    });
    expect(result.due).toBe(200);
    expect(result.sent).toBe(200);
    expect(result.statuses).toEqual({ 200: 200 });
    expect(paths[199]).toBe("/r/199");
    expect(result.latencyMs.p50).toBeLessThan(50);
  });

  it("follows an arrival process: a ramp from 0 to 400/s over a second offers 200 requests, most late in it", async () => {
    const origin = await serve((answer) => answer());
    const sentAt: number[] = [];
    const began = performance.now();
    const result = await runOpenLoop({
      origin,
      durationMs: 1000,
      arrivals: { profile: { shape: "ramp", fromRatePerSecond: 0, toRatePerSecond: 400, overSeconds: 1 }, spacing: "even" },
      next: () => (sentAt.push(performance.now() - began), { method: "GET", path: "/" }),
    });
    expect(result.due).toBe(200);
    expect(sentAt.filter((t) => t >= 500).length).toBeGreaterThan(140); // three quarters arrive in the second half
  });

  it("charges a stalled server's delay to every request that came due during the stall", async () => {
    // The server holds every answer for its first 300 ms: a closed-model driver would just send less.
    const stallUntil = Date.now() + 300;
    const origin = await serve((answer) => setTimeout(answer, Math.max(0, stallUntil - Date.now())));
    const result = await runOpenLoop({ origin, ratePerSecond: 100, durationMs: 1000, next: () => ({ method: "GET", path: "/" }) });
    expect(result.sent).toBe(100);
    expect(result.latencyMs.max).toBeGreaterThanOrEqual(250);
    expect(result.latencyMs.p50).toBeLessThan(100);
  });

  it("drops rather than piles up requests beyond its in-flight bound", async () => {
    const origin = await serve(() => undefined); // never answers
    const run = runOpenLoop({ origin, ratePerSecond: 100, durationMs: 500, maxInFlight: 10, next: () => ({ method: "GET", path: "/" }) });
    setTimeout(() => server?.closeAllConnections(), 700);
    const result = await run;
    expect(result.sent).toBe(10);
    expect(result.dropped).toBe(40);
    expect(result.errors).toBe(10);
  });
});
