// Shared by the service tests: a seeded lab with persona tokens, the services and a gateway in front of
// them as a test needs them, an in-process HTTP caller, the shards' audit chain heads (a write moves one),
// and a fuzz of generated JSON bodies against a route.
import { FaultSwitch, GATEWAY_EFFECTS } from "../../lib/faults/fault-switch.ts";
import { LoadShedding } from "../../lib/load/load-shedding.ts";
import fc from "fast-check";
import type { FastifyInstance } from "fastify";
import { expect } from "vitest";
import { buildBillingServer } from "../../backend-services/billing/server.ts";
import { buildClinicalServer } from "../../backend-services/clinical/server.ts";
import { type GatewayOptions, buildGatewayServer } from "../../backend-services/gateway/server.ts";
import type { Actor } from "../../lib/auth/roles.ts";
import { type TokenKey, issueLabToken, labSigningKey } from "../../lib/auth/tokens.ts";
import type { LabDatabases } from "../../lib/data/lab-databases.ts";
import { generateLabData } from "../../lib/synth/generate-lab-data.ts";
import { type Backend, TEST_LAB_SECRET, type TestLab, createTestLab } from "./test-labs.ts";

export const PERSONAS = ["patient", "otherPatient", "clinician", "otherClinician", "billing", "sre", "instructor", "admin"] as const;
export type Persona = (typeof PERSONAS)[number];

/** One actor per persona, around a patient of fac-0001 (the "other" ones are outside its scope). */
export function personaActors(patientId: string): Record<Persona, Actor> {
  return {
    patient: { userId: "usr-patient", role: "patient", facilityId: null, patientId },
    otherPatient: { userId: "usr-patient-2", role: "patient", facilityId: null, patientId: "pat-someone-else" },
    clinician: { userId: "usr-clinician", role: "clinician", facilityId: "fac-0001", patientId: null },
    otherClinician: { userId: "usr-clinician-2", role: "clinician", facilityId: "fac-0002", patientId: null },
    billing: { userId: "usr-billing", role: "billing", facilityId: "fac-0001", patientId: null },
    sre: { userId: "usr-sre", role: "sre", facilityId: null, patientId: null },
    instructor: { userId: "usr-instructor", role: "instructor", facilityId: null, patientId: null },
    admin: { userId: "usr-admin", role: "admin", facilityId: null, patientId: null },
  };
}

export async function personaTokens(key: Uint8Array, patientId: string): Promise<Record<Persona, string>> {
  const out = {} as Record<Persona, string>;
  for (const [name, actor] of Object.entries(personaActors(patientId))) out[name as Persona] = await issueLabToken(key, actor);
  return out;
}

/** A seeded test lab and what a service test calls it with: the signing key, a patient and a provider of fac-0001, a token per persona. */
export interface PersonaLab extends TestLab {
  key: Uint8Array;
  /** A seeded patient of fac-0001, the patient of the persona tokens. */
  patientId: string;
  providerId: string;
  tokens: Record<Persona, string>;
}

export async function openPersonaLab(
  backend: Backend,
  options: { seed: number; patients?: number; facilities?: number; secret?: string },
): Promise<PersonaLab> {
  const secret = options.secret ?? TEST_LAB_SECRET;
  const t = await createTestLab(backend, { secret });
  await generateLabData(t.lab, { patients: options.patients ?? 30, seed: options.seed, facilities: options.facilities ?? 2 });
  const key = labSigningKey(secret);
  const patientId = (await Promise.all(t.lab.shards.map((s) => s.prisma.patient.findFirst({ where: { facilityId: "fac-0001" } })))).find(Boolean)!.id;
  const providerId = (await t.lab.control.prisma.provider.findFirstOrThrow({ where: { facilityId: "fac-0001" } })).id;
  return { ...t, key, patientId, providerId, tokens: await personaTokens(key, patientId) };
}

/**
 * A gateway in front of `upstreams`, on the lab's shard map, silent, with a deadline and a rate limit out of
 * a test's way unless it sets them.
 */
export function testGateway(lab: LabDatabases, options: Pick<GatewayOptions, "tokenKey" | "upstreams"> & Partial<GatewayOptions>): Promise<FastifyInstance> {
  return buildGatewayServer({
    shardMap: () => lab.shardMap,
    timeoutMs: 2000,
    ratePerMinute: 10_000,
    publicUrl: "http://127.0.0.1:4000",
    logLevel: "silent",
    // As npm run lab's gateway: with its fault switch (a blind spot is one of its rules).
    faults: new FaultSwitch("gateway", lab.control.sql, GATEWAY_EFFECTS),
    shedding: new LoadShedding(lab.control.sql),
    ...options,
  });
}

export interface ServiceStack {
  clinical: FastifyInstance;
  billing: FastifyInstance;
  gateway: FastifyInstance;
  close(): Promise<void>;
}

/** The clinical and billing services on loopback ports with a test gateway in front of them, as npm run lab wires them. */
export async function startServiceStack(lab: LabDatabases, tokenKey: TokenKey, gateway: Partial<GatewayOptions> = {}): Promise<ServiceStack> {
  const clinical = buildClinicalServer(lab, tokenKey, "silent");
  const billing = buildBillingServer(lab, tokenKey, "silent");
  const upstreams = { clinical: await listen(clinical), billing: await listen(billing) };
  const front = await testGateway(lab, { tokenKey, upstreams, ...gateway });
  return {
    clinical,
    billing,
    gateway: front,
    async close() {
      await front.close();
      await clinical.close();
      await billing.close();
    },
  };
}

export type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

export function caller(app: FastifyInstance, tokens: Record<Persona, string>) {
  return (who: Persona | null, method: Method, url: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method,
      url,
      headers: {
        ...(who ? { authorization: `Bearer ${tokens[who]}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
}

/** The sum of the shards' audit chain heads: every committed write moves it by one. */
export async function writesSoFar(lab: LabDatabases): Promise<number> {
  const heads = await Promise.all(lab.shards.map((s) => s.prisma.auditChainHead.findUniqueOrThrow({ where: { id: 1 } })));
  return heads.reduce((sum, h) => sum + Number(h.sequence), 0);
}

/**
 * Sends `runs` generated JSON bodies (near the route's shape and far from it) and proves: no 5xx, every
 * error a problem body, and no write for a rejected request (the chain heads move once per 2xx).
 */
export async function fuzzRoute(
  app: FastifyInstance,
  lab: LabDatabases,
  route: { method: Method; url: string; token: string; shape: Record<string, unknown> },
  runs = 1000,
): Promise<void> {
  const near = fc.record(
    Object.fromEntries(
      Object.keys(route.shape).map((k) => [
        k,
        // Binary strings reach control characters (NUL breaks PostgreSQL text); the default alphabet does not.
        fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.integer(), fc.constant(null), fc.boolean(), fc.array(fc.string()), fc.constant(route.shape[k])),
      ]),
    ),
    { requiredKeys: [] },
  );
  const body = fc.oneof(fc.jsonValue(), near, fc.dictionary(fc.string(), fc.jsonValue()));
  let accepted = 0;
  const before = await writesSoFar(lab);
  await fc.assert(
    fc.asyncProperty(body, async (b) => {
      const res = await app.inject({
        method: route.method,
        url: route.url,
        headers: { authorization: `Bearer ${route.token}`, "content-type": "application/json", "if-match": '"1"' },
        payload: JSON.stringify(b) ?? "null",
      });
      expect(res.statusCode, `${route.url} ${JSON.stringify(b)?.slice(0, 200)} -> ${res.body}`).toBeLessThan(500);
      if (res.statusCode < 300) accepted++;
      else expect(res.json().status).toBe(res.statusCode);
    }),
    { numRuns: runs },
  );
  expect((await writesSoFar(lab)) - before, `${route.method} ${route.url}`).toBe(accepted);
}

/** Starts a service on a free loopback port and returns its base URL. */
export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: "127.0.0.1", port: 0 });
  return `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
}
