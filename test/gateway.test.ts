// The gateway in front of the real clinical and billing services on real sockets: authentication at the
// door, shard resolution, request id and trace carried through, per-persona rate limits, security headers,
// and 503/504 problem bodies instead of hangs when an upstream is down or silent.
import { type Server, createServer } from "node:net";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Validator } from "@seriousme/openapi-schema-validator";
import { API_ROUTES } from "../lib/contracts/api-catalog.ts";
import { type PersonaLab, type ServiceStack, caller, openPersonaLab, startServiceStack, testGateway } from "./support/service-harness.ts";
import { BACKENDS } from "./support/test-labs.ts";

describe.each(BACKENDS)("gateway on %s", (backend) => {
  let t: PersonaLab;
  let services: ServiceStack;
  let gateway: FastifyInstance;
  let call: ReturnType<typeof caller>;
  let silent: { server: Server; port: number };

  beforeAll(async () => {
    t = await openPersonaLab(backend, { seed: 21 });
    // A rate limit low enough for the test to reach it.
    services = await startServiceStack(t.lab, t.key, { ratePerMinute: 40 });
    gateway = services.gateway;
    call = caller(gateway, t.tokens);
    // A server that accepts connections and never answers: an upstream that hangs.
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    silent = { server, port: (server.address() as { port: number }).port };
  });
  afterAll(async () => {
    await services?.close();
    silent?.server.close();
    await t?.dispose();
  });

  it("forwards a patient's request to the owning service with the shard it resolved", async () => {
    const res = await call("clinician", "GET", `/patients/${t.patientId}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().id).toBe(t.patientId);
    expect(res.headers["x-lab-upstream"]).toBe("clinical");
    expect(res.headers["x-lab-shard"]).toBe(String(t.lab.shardMap.shardOf(t.patientId)));
    const claims = await call("billing", "GET", "/claims?status=paid&limit=3");
    expect(claims.statusCode).toBe(200);
    expect(claims.headers["x-lab-upstream"]).toBe("billing");
  });

  it("refuses a caller without a valid token at the door, and an unknown path with a 404", async () => {
    const anonymous = await call(null, "GET", `/patients/${t.patientId}`);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ status: 401, field: "authorization" });
    const forged = await gateway.inject({ method: "GET", url: "/patients", headers: { authorization: "Bearer abc.def.ghi" } });
    expect(forged.statusCode).toBe(401);
    expect((await call("sre", "GET", "/admin/secrets")).json()).toMatchObject({ status: 404 });
  });

  it("carries the caller's request id and trace through to the service's audit entry", async () => {
    const traceparent = "00-11112222333344445555666677778888-1111222233334444-01";
    const res = await call(
      "clinician",
      "PATCH",
      `/patients/${t.patientId}`,
      { city: "Gateway City" },
      { "if-match": '"1"', "x-request-id": "req-through-gateway", traceparent },
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers["x-request-id"]).toBe("req-through-gateway");
    const audit = await t.lab.shardForPatient(t.patientId).prisma.auditEntry.findFirstOrThrow({ where: { requestId: "req-through-gateway" } });
    expect(audit.traceId).toBe("11112222333344445555666677778888");
  });

  it("passes request bodies and their errors through, and refuses non-JSON and oversized bodies itself", async () => {
    const bad = await call("clinician", "POST", `/patients/${t.patientId}/encounters`, { kind: "spa-day" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBeTruthy();
    const text = await gateway.inject({
      method: "POST",
      url: "/patients",
      headers: { authorization: `Bearer ${t.tokens.clinician}`, "content-type": "text/plain" },
      payload: "hi",
    });
    expect(text.statusCode).toBe(415);
    const big = await gateway.inject({
      method: "POST",
      url: "/patients",
      headers: { authorization: `Bearer ${t.tokens.clinician}`, "content-type": "application/json" },
      payload: JSON.stringify({ x: "y".repeat(70_000) }),
    });
    expect(big.statusCode).toBe(413);
  });

  it("serves a valid OpenAPI 3.1 document that lists exactly the routes the services serve, and a docs page", async () => {
    const res = await gateway.inject({ method: "GET", url: "/openapi.json" });
    expect(res.statusCode).toBe(200);
    const spec = res.json();
    const validation = await new Validator().validate(spec);
    expect(validation.errors ?? []).toEqual([]);
    expect(validation.valid).toBe(true);
    expect(spec.openapi).toBe("3.1.0");
    for (const route of API_ROUTES) {
      const app = route.process === "clinical" ? services.clinical : services.billing;
      expect(app.hasRoute({ method: route.method, url: route.path }), `${route.method} ${route.path}`).toBe(true);
    }
    const served = [services.clinical, services.billing].flatMap((app) => app.servedRoutes);
    const listed = API_ROUTES.map((r) => `${r.method} ${r.path}`);
    expect(served.sort()).toEqual(listed.sort());
    const docs = await gateway.inject({ method: "GET", url: "/docs" });
    expect(docs.headers["content-type"]).toMatch(/text\/html/);
    expect(docs.body).toContain("/patients/{patientId}/claims/{claimId}/adjudicate");
  });

  it("sets security headers on what it answers", async () => {
    const res = await call("clinician", "GET", `/patients/${t.patientId}`);
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["strict-transport-security"]).toBeTruthy();
    expect(res.headers["content-security-policy"]).toMatch(/default-src 'none'/);
  });

  it("limits each persona's rate on its own: the 41st request in a minute is a 429, others still pass", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 41; i++) statuses.push((await call("instructor", "GET", "/patients?facilityId=fac-0001")).statusCode);
    expect(statuses.slice(0, 40).every((s) => s === 403)).toBe(true); // allowed through the limiter, refused by policy
    expect(statuses[40]).toBe(429);
    const limited = await call("instructor", "GET", "/patients?facilityId=fac-0001");
    expect(limited.json()).toMatchObject({ status: 429 });
    expect(limited.headers["retry-after"]).toBeTruthy();
    expect((await call("admin", "GET", `/patients/${t.patientId}`)).statusCode).toBe(200);
  });

  it("counts a signed-in caller's probes of unknown paths toward their rate: the 41st is a 429, not a 404", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 41; i++) statuses.push((await call("otherPatient", "GET", `/admin/probe-${i}`)).statusCode);
    expect(statuses.slice(0, 40).every((s) => s === 404)).toBe(true);
    expect(statuses[40]).toBe(429);
  });

  it("limits callers without a valid token by address, before looking at their token", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 42; i++)
      statuses.push(
        (await gateway.inject({ method: "GET", url: "/patients", headers: { authorization: "Bearer not.a.token" }, remoteAddress: "10.9.8.7" })).statusCode,
      );
    expect(statuses.slice(0, 40).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(40)).toEqual([429, 429]);
    // Another address, and valid tokens, are not affected.
    expect((await gateway.inject({ method: "GET", url: "/patients", headers: { authorization: "Bearer x" }, remoteAddress: "10.9.8.6" })).statusCode).toBe(401);
  });

  it("answers 503 when an upstream is down and 504 when it hangs, without waiting past its deadline", async () => {
    const down = await testGateway(t.lab, {
      tokenKey: t.key,
      upstreams: { clinical: "http://127.0.0.1:1", billing: `http://127.0.0.1:${silent.port}` },
      timeoutMs: 500,
    });
    try {
      const refused = await down.inject({ method: "GET", url: `/patients/${t.patientId}`, headers: { authorization: `Bearer ${t.tokens.clinician}` } });
      expect(refused.statusCode).toBe(503);
      expect(refused.json()).toMatchObject({ status: 503, detail: "the clinical service is not reachable" });
      const started = Date.now();
      const hung = await down.inject({ method: "GET", url: "/claims?status=paid", headers: { authorization: `Bearer ${t.tokens.billing}` } });
      expect(hung.statusCode).toBe(504);
      expect(hung.json()).toMatchObject({ status: 504, detail: "the billing service did not answer in time" });
      expect(Date.now() - started).toBeLessThan(3000);
      expect((await down.inject({ method: "GET", url: "/readyz" })).statusCode).toBe(503);
    } finally {
      await down.close();
    }
  });
});
