// The billing service over HTTP on SQLite and PostgreSQL: a claim's whole life from a closed encounter,
// refused transitions, the persona x endpoint matrix, the pipeline across shards, and fuzzed bodies.
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBillingServer } from "../backend-services/billing/server.ts";
import { buildClinicalServer } from "../backend-services/clinical/server.ts";
import { type Method, PERSONAS, type PersonaLab, caller, fuzzRoute, openPersonaLab } from "./support/service-harness.ts";
import { BACKENDS } from "./support/test-labs.ts";

describe.each(BACKENDS)("billing service on %s", (backend) => {
  let t: PersonaLab;
  let billing: FastifyInstance;
  let clinical: FastifyInstance;
  let bill: ReturnType<typeof caller>;
  let clinic: ReturnType<typeof caller>;

  beforeAll(async () => {
    t = await openPersonaLab(backend, { seed: 12 });
    billing = buildBillingServer(t.lab, t.key, "silent");
    clinical = buildClinicalServer(t.lab, t.key, "silent");
    bill = caller(billing, t.tokens);
    clinic = caller(clinical, t.tokens);
  });
  afterAll(async () => {
    await billing?.close();
    await clinical?.close();
    await t?.dispose();
  });

  /** An encounter of the patient at fac-0001, opened through the clinical service. */
  const openEncounter = async (kind: "outpatient" | "telehealth", reason: string): Promise<{ id: string }> =>
    (await clinic("clinician", "POST", `/patients/${t.patientId}/encounters`, { providerId: t.providerId, facilityId: "fac-0001", kind, reason })).json();

  /** A closed encounter with two billable procedures, made through the clinical service. */
  async function closedEncounter(): Promise<string> {
    const enc = await openEncounter("outpatient", "check");
    await clinic("clinician", "POST", `/patients/${t.patientId}/encounters/${enc.id}/procedures`, { code: "99213", description: "Office visit" });
    await clinic("clinician", "POST", `/patients/${t.patientId}/encounters/${enc.id}/procedures`, { code: "85025", description: "CBC" });
    expect((await clinic("clinician", "POST", `/patients/${t.patientId}/encounters/${enc.id}/close`, undefined, { "if-match": '"1"' })).statusCode).toBe(200);
    return enc.id;
  }

  it("takes a claim from a closed encounter through submit, adjudicate and pay, each step versioned", async () => {
    const encounterId = await closedEncounter();
    const created = await bill("billing", "POST", `/patients/${t.patientId}/claims`, { encounterId, payer: "Blue Harbor Mutual" });
    expect(created.statusCode).toBe(201);
    const claim = created.json();
    expect(claim).toMatchObject({ status: "draft", totalCents: 13_500 + 3_300, version: 1 });
    expect(claim.lines.map((l: { code: string }) => l.code)).toEqual(["99213", "85025"]);
    const base = `/patients/${t.patientId}/claims/${claim.id}`;
    expect((await bill("billing", "POST", `${base}/submit`, undefined, { "if-match": '"1"' })).json()).toMatchObject({ status: "submitted", version: 2 });
    expect((await bill("billing", "POST", `${base}/adjudicate`, { allowedCents: 99_999 }, { "if-match": '"2"' })).json()).toMatchObject({
      status: 422,
      field: "allowedCents",
    });
    expect((await bill("billing", "POST", `${base}/adjudicate`, { allowedCents: 12_000 }, { "if-match": '"2"' })).json()).toMatchObject({
      status: "adjudicated",
      allowedCents: 12_000,
    });
    expect((await bill("billing", "POST", `${base}/pay`, undefined, { "if-match": '"3"' })).json()).toMatchObject({
      status: "paid",
      paidCents: 12_000,
      version: 4,
    });
    expect((await bill("billing", "POST", `${base}/deny`, { reason: "too late" }, { "if-match": '"4"' })).json()).toMatchObject({
      status: 409,
      field: "status",
    });
    expect((await bill("billing", "POST", `/patients/${t.patientId}/claims`, { encounterId, payer: "Self-pay" })).json()).toMatchObject({
      status: 409,
      field: "encounterId",
    });
    const shard = t.lab.shardForPatient(t.patientId);
    const events = (await shard.prisma.outboxEvent.findMany({ where: { aggregateId: claim.id }, orderBy: { position: "asc" } })).map((e) => e.eventType);
    expect(events).toEqual(["ClaimCreated", "ClaimSubmitted", "ClaimAdjudicated", "ClaimPaid"]);
    const paid = await bill("billing", "GET", "/claims?status=paid&limit=500");
    expect(paid.json().items.map((c: { id: string }) => c.id)).toContain(claim.id);
  });

  it("refuses a claim on an open encounter and a denial without a reason", async () => {
    const enc = await openEncounter("telehealth", "open");
    expect((await bill("billing", "POST", `/patients/${t.patientId}/claims`, { encounterId: enc.id, payer: "Self-pay" })).json()).toMatchObject({
      status: 409,
      field: "encounterId",
    });
    expect((await bill("billing", "POST", `/patients/${t.patientId}/claims`, { encounterId: enc.id, payer: "Acme" })).json()).toMatchObject({
      status: 400,
      field: "payer",
    });
    expect((await bill("billing", "POST", `/patients/${t.patientId}/claims/clm-x/deny`, {}, { "if-match": '"1"' })).json()).toMatchObject({
      status: 400,
      field: "reason",
    });
  });

  it("answers every billing route for every persona as the policy says", async () => {
    const encounterId = await closedEncounter();
    const claim = (await bill("billing", "POST", `/patients/${t.patientId}/claims`, { encounterId, payer: "Self-pay" })).json();
    const routes: { method: Method; url: string; body?: unknown; ifMatch?: string; allowed: string[]; notFoundFor?: string[]; conflictFor?: string[] }[] = [
      { method: "GET" as const, url: "/claims?status=draft", allowed: ["billing", "sre"] },
      { method: "GET" as const, url: `/patients/${t.patientId}/claims`, allowed: ["patient", "clinician", "billing", "sre"] },
      { method: "GET" as const, url: `/patients/${t.patientId}/claims/${claim.id}`, allowed: ["patient", "clinician", "billing", "sre"] },
      {
        method: "POST" as const,
        url: `/patients/${t.patientId}/claims`,
        body: { encounterId: "enc-none", payer: "Self-pay" },
        allowed: [],
        notFoundFor: ["billing"],
      },
      { method: "POST" as const, url: `/patients/${t.patientId}/claims/${claim.id}/submit`, ifMatch: '"99"', allowed: [], conflictFor: ["billing"] },
      {
        method: "POST" as const,
        url: `/patients/${t.patientId}/claims/${claim.id}/adjudicate`,
        body: { allowedCents: 1 },
        ifMatch: '"99"',
        allowed: [],
        conflictFor: ["billing"],
      },
      { method: "POST" as const, url: `/patients/${t.patientId}/claims/${claim.id}/pay`, ifMatch: '"99"', allowed: [], conflictFor: ["billing"] },
      {
        method: "POST" as const,
        url: `/patients/${t.patientId}/claims/${claim.id}/deny`,
        body: { reason: "not covered" },
        ifMatch: '"99"',
        allowed: [],
        conflictFor: ["billing"],
      },
    ];
    for (const route of routes) {
      for (const who of PERSONAS) {
        const res = await bill(who, route.method, route.url, route.body, route.ifMatch ? { "if-match": route.ifMatch } : {});
        const label = `${route.method} ${route.url} as ${who}: ${res.body.slice(0, 200)}`;
        if (route.allowed.includes(who)) expect(res.statusCode, label).toBe(200);
        else if (route.notFoundFor?.includes(who))
          expect(res.statusCode, label).toBe(404); // allowed, and the encounter does not exist
        else if (route.conflictFor?.includes(who))
          expect(res.statusCode, label).toBe(409); // allowed, and the version is stale
        else expect(res.statusCode, label).toBe(403);
      }
      expect((await bill(null, route.method, route.url, route.body)).statusCode).toBe(401);
    }
    const masked = (await bill("sre", "GET", `/patients/${t.patientId}/claims/${claim.id}`)).json();
    expect(masked.totalCents).toBe(claim.totalCents);
  });

  it("never answers 5xx nor writes anything for 1,000 generated bodies per write route", async () => {
    const encounterId = await closedEncounter();
    const claim = (await bill("billing", "POST", `/patients/${t.patientId}/claims`, { encounterId, payer: "Self-pay" })).json();
    const base = `/patients/${t.patientId}/claims/${claim.id}`;
    for (const route of [
      { method: "POST" as const, url: `/patients/${t.patientId}/claims`, shape: { encounterId: "enc-x", payer: "Self-pay" } },
      { method: "POST" as const, url: `${base}/adjudicate`, shape: { allowedCents: 10 } },
      { method: "POST" as const, url: `${base}/deny`, shape: { reason: "reason" } },
      { method: "POST" as const, url: `${base}/submit`, shape: {} },
      { method: "POST" as const, url: `${base}/pay`, shape: {} },
    ]) {
      await fuzzRoute(billing, t.lab, { ...route, token: t.tokens.billing });
    }
  });
});
