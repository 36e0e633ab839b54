// The clinical service over HTTP (Fastify's in-process transport, real databases): the persona x endpoint
// matrix, bad input of every kind as problem bodies naming the field with nothing written, a fuzz of
// generated bodies per write route, idempotent replays and If-Match.
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildClinicalServer } from "../backend-services/clinical/server.ts";
import { outpatientVisit, patientRegistration } from "./support/clinical-writes.ts";
import { PERSONAS, type PersonaLab, caller, fuzzRoute, openPersonaLab, writesSoFar } from "./support/service-harness.ts";
import { BACKENDS } from "./support/test-labs.ts";

describe.each(BACKENDS)("clinical service on %s", (backend) => {
  let t: PersonaLab;
  let app: FastifyInstance;
  let call: ReturnType<typeof caller>;
  let encounterId: string;
  let medicationId: string;

  beforeAll(async () => {
    t = await openPersonaLab(backend, { seed: 8 });
    app = buildClinicalServer(t.lab, t.key, "silent");
    call = caller(app, t.tokens);
    const enc = await call("clinician", "POST", `/patients/${t.patientId}/encounters`, {
      providerId: t.providerId,
      facilityId: "fac-0001",
      kind: "outpatient",
      reason: "fever",
      note: "seen today",
    });
    encounterId = enc.json().id;
    const med = await call("clinician", "POST", `/patients/${t.patientId}/encounters/${encounterId}/medications`, {
      code: "ibuprofen-400",
      name: "Ibuprofen",
      dose: "400 mg",
      frequency: "prn",
    });
    medicationId = med.json().id;
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  const registration = (n: number, facilityId = "fac-0001") => patientRegistration(`SVC-${n}`, { facilityId });

  // Every route, with who may call it on this patient; the rest must get 403 (or 401 without a token).
  const routes = () => [
    {
      name: "register patient",
      method: "POST" as const,
      url: "/patients",
      // A new person each time: one MRN registers once.
      get body() {
        return registration(++registrations);
      },
      allowed: ["clinician", "admin"],
    },
    { name: "search by facility", method: "GET" as const, url: "/patients?facilityId=fac-0001&limit=5", allowed: ["clinician", "billing", "sre"] },
    { name: "read patient", method: "GET" as const, url: `/patients/${t.patientId}`, allowed: ["patient", "clinician", "billing", "sre", "admin"] },
    {
      name: "update demographics",
      method: "PATCH" as const,
      url: `/patients/${t.patientId}`,
      body: { city: "Capital City" },
      ifMatch: true,
      allowed: ["patient", "clinician"],
    },
    { name: "list encounters", method: "GET" as const, url: `/patients/${t.patientId}/encounters`, allowed: ["patient", "clinician", "billing", "sre"] },
    {
      name: "read encounter",
      method: "GET" as const,
      url: `/patients/${t.patientId}/encounters/${encounterId}`,
      allowed: ["patient", "clinician", "billing", "sre"],
    },
    {
      name: "open encounter",
      method: "POST" as const,
      url: `/patients/${t.patientId}/encounters`,
      body: { providerId: t.providerId, facilityId: "fac-0001", kind: "telehealth", reason: "follow-up" },
      allowed: ["clinician"],
    },
    {
      name: "record diagnosis",
      method: "POST" as const,
      url: `/patients/${t.patientId}/encounters/${encounterId}/diagnoses`,
      body: { code: "R50.9", description: "Fever" },
      allowed: ["clinician"],
    },
    {
      name: "record procedure",
      method: "POST" as const,
      url: `/patients/${t.patientId}/encounters/${encounterId}/procedures`,
      body: { code: "99213", description: "Office visit" },
      allowed: ["clinician"],
    },
    {
      name: "prescribe",
      method: "POST" as const,
      url: `/patients/${t.patientId}/encounters/${encounterId}/medications`,
      body: { code: "x", name: "X", dose: "1", frequency: "daily" },
      allowed: ["clinician"],
    },
  ];
  let registrations = 1000;
  const everyone = PERSONAS;

  it("answers every route for every persona as the policy says: allowed 2xx, denied 403, anonymous 401", async () => {
    const seen: string[] = [];
    for (const route of routes()) {
      for (const who of everyone) {
        let headers: Record<string, string> = {};
        if (route.ifMatch) {
          const current = await call("clinician", "GET", `/patients/${t.patientId}`);
          headers = { "if-match": `"${current.json().version}"` };
        }
        const res = await call(who, route.method, route.url, route.body, headers);
        const expected = (route.allowed as readonly string[]).includes(who) ? "allowed" : "denied";
        seen.push(`${route.name} ${who} ${res.statusCode}`);
        if (expected === "allowed") expect(res.statusCode, `${route.name} as ${who}: ${res.body}`).toBeLessThan(300);
        else {
          expect(res.statusCode, `${route.name} as ${who}: ${res.body}`).toBe(403);
          expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
        }
      }
      const anonymous = await call(null, route.method, route.url, route.body);
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json()).toMatchObject({ status: 401, field: "authorization" });
    }
    expect(seen.length).toBe(routes().length * everyone.length);
  });

  it("tells an outsider nothing about whether a patient exists", async () => {
    const other = (await Promise.all(t.lab.shards.map((s) => s.prisma.patient.findFirst({ where: { facilityId: "fac-0002" } })))).find(Boolean)!;
    const missing = "pat-00000000-0000-4000-8000-000000000000";
    for (const who of ["otherPatient", "otherClinician"] as const) {
      const real = await call(who, "GET", `/patients/${who === "otherClinician" ? t.patientId : other.id}`);
      const fake = await call(who, "GET", `/patients/${missing}`);
      expect([real.statusCode, fake.statusCode], who).toEqual([403, 403]);
      expect(real.json().detail).toBe(fake.json().detail);
    }
    expect((await call("clinician", "GET", `/patients?mrn=MRN-SVC-DOES-NOT-EXIST`)).json().items).toEqual([]);
    const elsewhere = (await call("admin", "POST", "/patients", registration(9090, "fac-0002"))).json();
    expect(elsewhere.id).toMatch(/^pat-/);
    expect((await call("clinician", "GET", `/patients?mrn=MRN-SVC-9090`)).json()).toEqual({ items: [], nextCursor: null });
  });

  it("refuses an encounter at another facility and control characters in text, naming the field", async () => {
    const foreign = (await t.lab.control.prisma.provider.findFirstOrThrow({ where: { facilityId: "fac-0002" } })).id;
    const res = await call("clinician", "POST", `/patients/${t.patientId}/encounters`, {
      providerId: foreign,
      facilityId: "fac-0002",
      kind: "outpatient",
      reason: "x",
    });
    expect(res.json()).toMatchObject({ status: 403, field: "facilityId" });
    const nul = await call("clinician", "POST", "/patients", { ...registration(9191), givenName: "Ro\u0000bin" });
    expect(nul.json()).toMatchObject({ status: 400, field: "givenName" });
  });

  it("shows billing no clinical free text and SREs no synthetic PHI", async () => {
    const asBilling = (await call("billing", "GET", `/patients/${t.patientId}/encounters/${encounterId}`)).json();
    expect(asBilling.note).toBe("[redacted]");
    expect(asBilling.kind).toBe("outpatient");
    const asSre = (await call("sre", "GET", `/patients/${t.patientId}`)).json();
    expect(asSre).toMatchObject({ id: t.patientId, givenName: "[redacted]", familyName: "[redacted]", birthDate: "[redacted]", facilityId: "fac-0001" });
    const asClinician = (await call("clinician", "GET", `/patients/${t.patientId}/encounters/${encounterId}`)).json();
    expect(asClinician.note).toBe("seen today");
  });

  it.each([
    ["malformed JSON", { payload: "{not json", headers: { "content-type": "application/json" } }, 400, "body"],
    ["an empty body", { payload: "", headers: { "content-type": "application/json" } }, 400, "body"],
    ["a text/plain body", { payload: "hello", headers: { "content-type": "text/plain" } }, 415, "content-type"],
    [
      "a body over 64 KiB",
      { payload: JSON.stringify({ ...registration(1), addressLine: "x".repeat(70_000) }), headers: { "content-type": "application/json" } },
      413,
      "body",
    ],
    ["an unknown field", { payload: JSON.stringify({ ...registration(2), isAdmin: true }), headers: { "content-type": "application/json" } }, 400, "isAdmin"],
    ["a wrong type", { payload: JSON.stringify({ ...registration(3), birthDate: 1975 }), headers: { "content-type": "application/json" } }, 400, "birthDate"],
    [
      "an invalid id",
      { payload: JSON.stringify({ ...registration(4), facilityId: "../etc" }), headers: { "content-type": "application/json" } },
      400,
      "facilityId",
    ],
    [
      "a bad Idempotency-Key",
      { payload: JSON.stringify(registration(5)), headers: { "content-type": "application/json", "idempotency-key": "é" } },
      400,
      "Idempotency-Key",
    ],
  ])("refuses %s with a problem body naming the field and writes nothing", async (_name, req, status, field) => {
    const before = await writesSoFar(t.lab);
    const res = await app.inject({
      method: "POST",
      url: "/patients",
      headers: { authorization: `Bearer ${t.tokens.clinician}`, ...req.headers },
      payload: req.payload,
    });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ status, field, requestId: expect.any(String) });
    expect(await writesSoFar(t.lab)).toEqual(before);
  });

  it("refuses bad path ids, bad queries, missing or malformed If-Match, and stale versions", async () => {
    expect((await call("clinician", "GET", "/patients/not-an-id")).json()).toMatchObject({ status: 400, field: "patientId" });
    expect((await call("clinician", "GET", "/patients?facilityId=fac-0001&limit=0")).json()).toMatchObject({ status: 400, field: "limit" });
    expect((await call("clinician", "GET", "/patients?facilityId=fac-0001&cursor=garbage")).json()).toMatchObject({ status: 400, field: "cursor" });
    expect((await call("clinician", "GET", "/patients?colour=red")).json()).toMatchObject({ status: 400, field: "colour" });
    expect((await call("clinician", "PATCH", `/patients/${t.patientId}`, { city: "X" })).json()).toMatchObject({ status: 422, field: "If-Match" });
    expect((await call("clinician", "PATCH", `/patients/${t.patientId}`, { city: "X" }, { "if-match": "yesterday" })).json()).toMatchObject({
      status: 400,
      field: "If-Match",
    });
    expect((await call("clinician", "PATCH", `/patients/${t.patientId}`, { city: "X" }, { "if-match": '"999"' })).json()).toMatchObject({
      status: 409,
      field: "If-Match",
    });
    // Only a caller who may see every patient learns that one does not exist; to a clinician it is a 403.
    expect((await call("admin", "GET", "/patients/pat-00000000-0000-4000-8000-000000000000")).statusCode).toBe(404);
    expect((await call("clinician", "GET", "/patients/pat-00000000-0000-4000-8000-000000000000")).statusCode).toBe(403);
    expect((await call("clinician", "GET", "/nowhere")).statusCode).toBe(404);
  });

  it("refuses a second registration of the same MRN with a 409", async () => {
    const body = registration(4242);
    expect((await call("clinician", "POST", "/patients", body)).statusCode).toBe(201);
    expect((await call("admin", "POST", "/patients", body)).json()).toMatchObject({ status: 409, field: "mrn" });
  });

  it("replays an Idempotency-Key with the first answer; a different body under the same key is a 422", async () => {
    const body = registration(777);
    const first = await call("clinician", "POST", "/patients", body, { "idempotency-key": "svc-key-1" });
    expect(first.statusCode).toBe(201);
    const before = await writesSoFar(t.lab);
    const again = await call("clinician", "POST", "/patients", body, { "idempotency-key": "svc-key-1" });
    expect(again.statusCode).toBe(201);
    expect(again.headers["idempotency-replayed"]).toBe("true");
    expect(again.json()).toEqual(first.json());
    expect(await writesSoFar(t.lab)).toEqual(before);
    expect((await call("clinician", "POST", "/patients", registration(778), { "idempotency-key": "svc-key-1" })).json()).toMatchObject({
      status: 422,
      field: "Idempotency-Key",
    });
    const found = await call("clinician", "GET", `/patients?mrn=${encodeURIComponent(body.mrn)}`);
    expect(found.json().items.map((p: { id: string }) => p.id)).toEqual([first.json().id]);
  });

  it("carries the request id and continues the caller's trace into the audit entry and the outbox", async () => {
    const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    const res = await call(
      "clinician",
      "POST",
      `/patients/${t.patientId}/encounters/${encounterId}/diagnoses`,
      { code: "J06.9", description: "URI" },
      { "x-request-id": "req-trace-test-1", traceparent },
    );
    expect(res.statusCode).toBe(201);
    expect(res.headers["x-request-id"]).toBe("req-trace-test-1");
    const shard = t.lab.shardForPatient(t.patientId);
    const audit = await shard.prisma.auditEntry.findFirstOrThrow({ where: { requestId: "req-trace-test-1" } });
    expect(audit.traceId).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    const event = await shard.prisma.outboxEvent.findFirstOrThrow({ where: { aggregateId: res.json().id } });
    expect(JSON.parse(event.headers).traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
  });

  it("never answers 5xx nor writes anything for 1,000 generated bodies per write route", async () => {
    const routes = [
      { method: "POST" as const, url: "/patients", shape: registration(0) },
      {
        method: "POST" as const,
        url: `/patients/${t.patientId}/encounters`,
        shape: outpatientVisit(t.providerId, "r"),
      },
      { method: "POST" as const, url: `/patients/${t.patientId}/encounters/${encounterId}/diagnoses`, shape: { code: "I10", description: "d" } },
      { method: "POST" as const, url: `/patients/${t.patientId}/encounters/${encounterId}/procedures`, shape: { code: "99213", description: "d" } },
      {
        method: "POST" as const,
        url: `/patients/${t.patientId}/encounters/${encounterId}/medications`,
        shape: { code: "c", name: "n", dose: "d", frequency: "f" },
      },
      { method: "PATCH" as const, url: `/patients/${t.patientId}`, shape: { city: "c", region: "IL" } },
      { method: "POST" as const, url: `/patients/${t.patientId}/medications/${medicationId}/discontinue`, shape: {} },
    ];
    for (const route of routes) await fuzzRoute(app, t.lab, { ...route, token: t.tokens.clinician });
  });
});
