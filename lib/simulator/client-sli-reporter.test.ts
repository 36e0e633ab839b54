import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ClientSliReporter } from "./client-sli-reporter.ts";
import type { JourneyOutcome } from "./simulation-run.ts";

/** A gateway stand-in that answers each POST /_lab/slis with the next status given and keeps what it took. */
async function gatewayAnswering(statuses: number[]): Promise<{ origin: string; taken: number[]; server: Server }> {
  const taken: number[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const status = statuses.shift() ?? 204;
      if (status < 300) taken.push((JSON.parse(body) as { outcomes: unknown[] }).outcomes.length);
      res.writeHead(status, { "content-type": "application/json" }).end(status < 300 ? "" : JSON.stringify({ status, detail: "no" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, taken, server };
}

const outcome = (latencyMs: number): JourneyOutcome => ({ journey: "patient/view-record", at: new Date(), ok: true, latencyMs });

describe("ClientSliReporter", () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it("drops a batch the gateway refuses (400), counts it, and delivers the outcomes after it", async () => {
    const gw = await gatewayAnswering([400]);
    server = gw.server;
    const errors: string[] = [];
    const reporter = new ClientSliReporter({ origin: gw.origin, token: async () => "t", flushEveryMs: 60_000, onError: (e) => errors.push(e.message) });
    reporter.record(outcome(12));
    reporter.record(outcome(15));
    await reporter.flush();
    reporter.record(outcome(20));
    await reporter.close();
    expect({ refused: reporter.refused, sent: reporter.sent, lost: reporter.lost, taken: gw.taken }).toEqual({ refused: 2, sent: 1, lost: 0, taken: [1] });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/answered 400/);
  });

  it("keeps a batch the gateway could not take (503, 429) and sends it again with the next", async () => {
    const gw = await gatewayAnswering([503, 429]);
    server = gw.server;
    const reporter = new ClientSliReporter({ origin: gw.origin, token: async () => "t", flushEveryMs: 60_000 });
    reporter.record(outcome(12));
    await reporter.flush();
    reporter.record(outcome(13));
    await reporter.flush();
    await reporter.close();
    expect({ refused: reporter.refused, sent: reporter.sent, taken: gw.taken }).toEqual({ refused: 0, sent: 2, taken: [2] });
  });
});
