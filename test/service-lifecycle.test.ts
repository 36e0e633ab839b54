// A service's life on a real socket: shutdown drains what is in flight and refuses what comes after, and a
// hang fault holds a request until its time is up while the gateway answers 504 at its own deadline.
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildClinicalServer } from "../backend-services/clinical/server.ts";
import { buildGatewayServer } from "../backend-services/gateway/server.ts";
import { labSigningKey } from "../lib/auth/tokens.ts";
import { generateLabData } from "../lib/synth/generate-lab-data.ts";
import { type Persona, personaTokens, listen } from "./support/service-harness.ts";
import { type TestLab, createTestLab } from "./support/test-labs.ts";

const SECRET = "integration-test-secret-0123456789";
const key = labSigningKey(SECRET);

describe("service lifecycle", () => {
  let t: TestLab;
  let tokens: Record<Persona, string>;
  let patientId: string;
  beforeAll(async () => {
    t = await createTestLab("sqlite", { secret: SECRET });
    await generateLabData(t.lab, { patients: 20, seed: 41, facilities: 2 });
    patientId = (await Promise.all(t.lab.shards.map((s) => s.prisma.patient.findFirst({ where: { facilityId: "fac-0001" } })))).find(Boolean)!.id;
    tokens = await personaTokens(key, patientId);
  });
  afterAll(async () => t?.dispose());

  const faults = (url: string, rules: unknown[]) =>
    request(`${url}/_lab/faults`, {
      method: "PUT",
      headers: { authorization: `Bearer ${tokens.sre}`, "content-type": "application/json" },
      body: JSON.stringify({ rules }),
    });

  it("finishes in-flight requests on shutdown and refuses new ones", async () => {
    const app = buildClinicalServer(t.lab, key, "silent");
    const url = await listen(app);
    await (await faults(url, [{ id: "slow", effect: { kind: "latency", distribution: { type: "fixed", ms: 600 } }, durationSeconds: 30 }])).body.dump();
    const inFlight = request(`${url}/patients/${patientId}`, { headers: { authorization: `Bearer ${tokens.clinician}` } });
    await new Promise((r) => setTimeout(r, 150));
    const closing = app.close();
    const late = await request(`${url}/patients/${patientId}`, { headers: { authorization: `Bearer ${tokens.clinician}` } }).then(
      (res) => res.statusCode,
      () => "refused",
    );
    const res = await inFlight;
    expect(res.statusCode).toBe(200);
    expect(((await res.body.json()) as { id: string }).id).toBe(patientId);
    expect([503, "refused"]).toContain(late);
    await closing;
  });

  it("holds a request under a hang fault until its time is up, while the gateway gives up at its deadline", async () => {
    const clinical = buildClinicalServer(t.lab, key, "silent");
    const url = await listen(clinical);
    const gateway = await buildGatewayServer({
      tokenKey: key,
      shardMap: () => t.lab.shardMap,
      upstreams: { clinical: url, billing: url },
      timeoutMs: 300,
      ratePerMinute: 100,
      publicUrl: url,
      logLevel: "silent",
    });
    try {
      await (await faults(url, [{ id: "hang", effect: { kind: "hang", rate: 1, forMs: 800 }, durationSeconds: 30 }])).body.dump();
      let started = Date.now();
      const viaGateway = await gateway.inject({ method: "GET", url: `/patients/${patientId}`, headers: { authorization: `Bearer ${tokens.clinician}` } });
      expect(viaGateway.statusCode, viaGateway.body).toBe(504);
      expect(Date.now() - started).toBeLessThan(700);
      started = Date.now();
      const direct = await request(`${url}/patients/${patientId}`, { headers: { authorization: `Bearer ${tokens.clinician}` } });
      expect(direct.statusCode).toBe(503);
      await direct.body.dump();
      expect(Date.now() - started).toBeGreaterThanOrEqual(750);
    } finally {
      await gateway.close();
      await clinical.close();
    }
  });
});
