import { type Server, createServer } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forwardFaultSwitch } from "./fault-forwarding.ts";
import type { LabProcessSpec } from "./lab-processes.ts";

const spec = (port: number): LabProcessSpec => ({ name: "clinical", command: "node", args: [], port, readyUrl: "", faultSwitch: "requests", env: {} });

describe("forwarding a fault switch to a service", () => {
  let server: Server;
  let port: number;
  const seen: { method?: string; headers: Record<string, unknown>; body: string }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        seen.push({ method: req.method, headers: req.headers, body });
        const rule = body ? (JSON.parse(body) as { rules: { id: string }[] }).rules[0] : undefined;
        if (rule?.id === "hang") return; // never answers, as a paused service
        res.setHeader("content-type", "application/json");
        if (rule?.id === "bad") {
          res.statusCode = 400;
          return res.end(JSON.stringify({ status: 400, detail: "rules.0.effect.status: Invalid input", field: "rules.0.effect.status" }));
        }
        res.end(JSON.stringify({ service: "clinical", rules: rule ? [{ ...rule, durationSeconds: 5, expiresAt: "2030-01-01T00:00:00.000Z" }] : [] }));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => void server.closeAllConnections());
  afterAll(() => new Promise((r) => server.close(r)));

  it("sends the caller's token, request id and traceparent with the body, and returns the service's rules", async () => {
    const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    const got = await forwardFaultSwitch(spec(port), {
      method: "PUT",
      authorization: "Bearer abc",
      body: { rules: [{ id: "slow" }] },
      requestId: "req-12345678",
      traceparent,
    });
    expect(got).toEqual({ service: "clinical", rules: [{ id: "slow", durationSeconds: 5, expiresAt: "2030-01-01T00:00:00.000Z" }] });
    expect(seen.at(-1)).toMatchObject({
      method: "PUT",
      headers: { authorization: "Bearer abc", "x-request-id": "req-12345678", traceparent, "content-type": "application/json" },
    });
    expect((await forwardFaultSwitch(spec(port), { method: "DELETE", authorization: "Bearer abc" })).rules).toEqual([]);
  });

  it("answers a refusal with the service's status and field", async () => {
    await expect(forwardFaultSwitch(spec(port), { method: "PUT", authorization: "Bearer abc", body: { rules: [{ id: "bad" }] } })).rejects.toMatchObject({
      status: 400,
      field: "rules.0.effect.status",
      message: "clinical: rules.0.effect.status: Invalid input",
    });
  });

  it("says 503 when the service does not answer in time or is not listening", async () => {
    await expect(
      forwardFaultSwitch(spec(port), { method: "PUT", authorization: "Bearer abc", body: { rules: [{ id: "hang" }] }, timeoutMs: 200 }),
    ).rejects.toMatchObject({
      status: 503,
      message: "clinical did not answer within 0.2 s (paused?); its faults were not switched",
    });
    await expect(forwardFaultSwitch(spec(1), { method: "DELETE", authorization: "Bearer abc" })).rejects.toMatchObject({
      status: 503,
      message: expect.stringMatching(/is not answering/),
    });
  });
});
