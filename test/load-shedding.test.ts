// The gateway's load shedding through the real gateway and services: over the cap in flight, an API request
// is answered 503 with Retry-After at once, while those admitted are served; a cap on some personas sheds
// only theirs; the cap ends at its deadline or when lifted, each change audited under the caller, and only
// those allowed to shed traffic may set it.
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueLabToken, labSigningKey } from "../lib/auth/tokens.ts";
import { type PersonaLab, type ServiceStack, caller, openPersonaLab, startServiceStack } from "./support/service-harness.ts";
import { BACKENDS } from "./support/test-labs.ts";

const SECRET = "integration-test-secret-0123456789";
const key = labSigningKey(SECRET);

describe.each(BACKENDS)("load shedding at the gateway on %s", (backend) => {
  let t: PersonaLab;
  let services: ServiceStack;
  let gateway: FastifyInstance;
  let call: ReturnType<typeof caller>;
  let oncall: string;

  beforeAll(async () => {
    t = await openPersonaLab(backend, { seed: 6, patients: 10, facilities: 1, secret: SECRET });
    services = await startServiceStack(t.lab, key);
    gateway = services.gateway;
    call = caller(gateway, t.tokens);
    oncall = await issueLabToken(key, { userId: "usr-oncall", role: "oncall", facilityId: null, patientId: null });
  });
  afterAll(async () => {
    await services?.close();
    await t?.dispose();
  });

  const asOncall = (method: "GET" | "PUT" | "DELETE", body?: unknown) =>
    gateway.inject({
      method,
      url: "/_lab/load-shedding",
      headers: { authorization: `Bearer ${oncall}`, ...(body ? { "content-type": "application/json" } : {}) },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    });

  it("answers the requests over the cap with 503 and Retry-After at once, serves the rest, and stops when lifted", async () => {
    // Slow reads keep requests in flight: 300 ms each on clinical.
    const slow = {
      rules: [
        { id: "slow", match: { routes: ["/patients/:patientId"] }, effect: { kind: "latency", distribution: { type: "fixed", ms: 300 } }, durationSeconds: 60 },
      ],
    };
    const switched = await services.clinical.inject({
      method: "PUT",
      url: "/_lab/faults",
      headers: { authorization: `Bearer ${t.tokens.sre}`, "content-type": "application/json" },
      payload: JSON.stringify(slow),
    });
    expect(switched.statusCode, switched.body).toBe(200);
    const set = await asOncall("PUT", { maxInFlight: 2, durationSeconds: 60 });
    expect(set.json()).toMatchObject({ maxInFlight: 2, setBy: "usr-oncall", shed: 0 });
    const answers = await Promise.all(Array.from({ length: 6 }, () => call("clinician", "GET", `/patients/${t.patientId}`)));
    const shed = answers.filter((a) => a.statusCode === 503);
    expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(2);
    expect(shed).toHaveLength(4);
    expect(shed[0]!.headers["retry-after"]).toBe("1");
    expect(shed[0]!.json()).toMatchObject({ status: 503, detail: "the gateway is shedding load: too many requests in flight; retry shortly" });
    expect((await asOncall("GET")).json()).toMatchObject({ maxInFlight: 2, inFlight: 0, shed: 4, admitted: 2 });
    // The gateway's own routes are never shed.
    expect((await call("sre", "GET", "/openapi.json")).statusCode).toBe(200);

    expect((await asOncall("DELETE")).json()).toMatchObject({ maxInFlight: null });
    const after = await Promise.all(Array.from({ length: 6 }, () => call("clinician", "GET", `/patients/${t.patientId}`)));
    expect(after.every((a) => a.statusCode === 200)).toBe(true);
    await services.clinical.inject({ method: "DELETE", url: "/_lab/faults", headers: { authorization: `Bearer ${t.tokens.sre}` } });

    const audit = await t.lab.control.sql.query<{ action: string; actorId: string }>(
      `SELECT "action", "actorId" FROM "audit_entries" WHERE "action" LIKE 'traffic.shed%' ORDER BY "sequence"`,
    );
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([
      ["traffic.shed-on", "usr-oncall"],
      ["traffic.shed-off", "usr-oncall"],
    ]);
  });

  it("sheds only the named personas' requests: a patients' rush is capped while clinicians are all served", async () => {
    const slow = {
      rules: [
        { id: "slow", match: { routes: ["/patients/:patientId"] }, effect: { kind: "latency", distribution: { type: "fixed", ms: 300 } }, durationSeconds: 60 },
      ],
    };
    const sre = { authorization: `Bearer ${t.tokens.sre}`, "content-type": "application/json" };
    await services.clinical.inject({ method: "PUT", url: "/_lab/faults", headers: sre, payload: JSON.stringify(slow) });
    expect((await asOncall("PUT", { maxInFlight: 1, personas: ["patient"], durationSeconds: 60 })).json()).toMatchObject({ personas: ["patient"] });
    const [patients, clinicians] = await Promise.all([
      Promise.all(Array.from({ length: 4 }, () => call("patient", "GET", `/patients/${t.patientId}`))),
      Promise.all(Array.from({ length: 4 }, () => call("clinician", "GET", `/patients/${t.patientId}`))),
    ]);
    expect(patients.map((a) => a.statusCode).sort()).toEqual([200, 503, 503, 503]);
    expect(clinicians.map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);
    await asOncall("DELETE");
    await services.clinical.inject({ method: "DELETE", url: "/_lab/faults", headers: { authorization: sre.authorization } });
  });

  it("lets only those who may shed traffic set it, and refuses a bad cap naming the field", async () => {
    for (const who of ["patient", "clinician", "billing", "admin"] as const)
      expect((await call(who, "PUT", "/_lab/load-shedding", { maxInFlight: 5 })).statusCode, who).toBe(403);
    expect((await asOncall("PUT", { maxInFlight: 0 })).json()).toMatchObject({ status: 400, field: "maxInFlight" });
    expect((await asOncall("PUT", { maxInFlight: 5, personas: ["robots"] })).json()).toMatchObject({ status: 400, field: "personas.0" });
    expect((await asOncall("GET")).json()).toMatchObject({ maxInFlight: null });
  });
});
