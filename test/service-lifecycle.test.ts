// A service's life on a real socket: shutdown drains what is in flight and refuses what comes after, and a
// hang fault holds a request until its time is up while the gateway answers 504 at its own deadline.
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildClinicalServer } from "../backend-services/clinical/server.ts";
import { type PersonaLab, listen, openPersonaLab, testGateway } from "./support/service-harness.ts";

describe("service lifecycle", () => {
  let t: PersonaLab;
  beforeAll(async () => {
    t = await openPersonaLab("sqlite", { seed: 41, patients: 20 });
  });
  afterAll(async () => t?.dispose());

  const faults = (url: string, rules: unknown[]) =>
    request(`${url}/_lab/faults`, {
      method: "PUT",
      headers: { authorization: `Bearer ${t.tokens.sre}`, "content-type": "application/json" },
      body: JSON.stringify({ rules }),
    });

  it("finishes in-flight requests on shutdown and refuses new ones", async () => {
    const app = buildClinicalServer(t.lab, t.key, "silent");
    const url = await listen(app);
    await (await faults(url, [{ id: "slow", effect: { kind: "latency", distribution: { type: "fixed", ms: 600 } }, durationSeconds: 30 }])).body.dump();
    const inFlight = request(`${url}/patients/${t.patientId}`, { headers: { authorization: `Bearer ${t.tokens.clinician}` } });
    await new Promise((r) => setTimeout(r, 150));
    const closing = app.close();
    const late = await request(`${url}/patients/${t.patientId}`, { headers: { authorization: `Bearer ${t.tokens.clinician}` } }).then(
      (res) => res.statusCode,
      () => "refused",
    );
    const res = await inFlight;
    expect(res.statusCode).toBe(200);
    expect(((await res.body.json()) as { id: string }).id).toBe(t.patientId);
    expect([503, "refused"]).toContain(late);
    await closing;
  });

  it("holds a request under a hang fault until its time is up, while the gateway gives up at its deadline", async () => {
    const clinical = buildClinicalServer(t.lab, t.key, "silent");
    const url = await listen(clinical);
    const gateway = await testGateway(t.lab, { tokenKey: t.key, upstreams: { clinical: url, billing: url }, timeoutMs: 300 });
    try {
      await (await faults(url, [{ id: "hang", effect: { kind: "hang", rate: 1, forMs: 800 }, durationSeconds: 30 }])).body.dump();
      let started = Date.now();
      const viaGateway = await gateway.inject({ method: "GET", url: `/patients/${t.patientId}`, headers: { authorization: `Bearer ${t.tokens.clinician}` } });
      expect(viaGateway.statusCode, viaGateway.body).toBe(504);
      expect(Date.now() - started).toBeLessThan(700);
      started = Date.now();
      const direct = await request(`${url}/patients/${t.patientId}`, { headers: { authorization: `Bearer ${t.tokens.clinician}` } });
      expect(direct.statusCode).toBe(503);
      await direct.body.dump();
      expect(Date.now() - started).toBeGreaterThanOrEqual(750);
    } finally {
      await gateway.close();
      await clinical.close();
    }
  });
});
