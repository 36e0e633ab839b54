// A lab run of the real processes (clinical, billing, gateway, projector, each `node main.ts`), as
// `npm run lab` starts them: a request's trace is retrievable by id with spans from the gateway, the
// service, the relay and the projector; every process serves /metrics; every request log line carries
// trace, span and request ids; and no log line holds a clear identifier of the lab's synthetic people.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueLabToken, labSigningKey } from "../lib/auth/tokens.ts";
import { testLabEnv } from "./support/lab-ports.ts";
import { processGroup } from "./support/process-group.ts";
import { openLabFromEnv } from "./support/test-labs.ts";
import { waitUntil } from "./support/wait-until.ts";

const SECRET = "integration-test-secret-0123456789";
const base = 15_000 + (process.pid % 1000) * 5;
const ports = { gateway: base, clinical: base + 1, billing: base + 2, projector: base + 3 };
const registered = {
  facilityId: "fac-0001",
  givenName: "Zebulon",
  familyName: "Quillfeather",
  sex: "other",
  birthDate: "1975-03-09",
  addressLine: "77 Lanternfish Row",
  city: "Brindleton",
  region: "IL",
  postalCode: "62704",
  mrn: "MRN-TRACE-424242",
  nationalId: "987-65-4320",
  phone: "555-0142-7788",
  email: "zebulon.quillfeather@example.org",
};

describe("a lab run's telemetry", () => {
  const dir = mkdtempSync(join(tmpdir(), "pimlab-run-"));
  // Request logs are at info: the test reads them.
  const env = testLabEnv(dir, SECRET, ports, { LOG_LEVEL: "info" });
  const logs: string[] = [];
  const processes = processGroup(env, (text) => logs.push(text));
  const people: string[] = [];
  let clinician: string;
  let sre: string;

  beforeAll(async () => {
    const { lab } = await openLabFromEnv(env, { patients: 12, seed: 77, facilities: 1 });
    // Clear values of the generated people, which must never reach a log line.
    for (const shard of lab.shards) {
      for (const p of await shard.prisma.patient.findMany()) people.push(p.givenName, p.familyName, p.addressLine);
    }
    await lab.close();
    await Promise.all((["clinical", "billing", "gateway", "projector"] as const).map((name) => processes.start(name, ports[name])));
    const key = labSigningKey(SECRET);
    clinician = await issueLabToken(key, { userId: "usr-trace-clinician", role: "clinician", facilityId: "fac-0001", patientId: null });
    sre = await issueLabToken(key, { userId: "usr-trace-sre", role: "sre", facilityId: null, patientId: null });
  }, 120_000);
  afterAll(async () => {
    await processes.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps a registration's trace with spans from the gateway, the clinical service, the relay and the projector", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const res = await fetch(`http://127.0.0.1:${ports.gateway}/patients`, {
      method: "POST",
      headers: { authorization: `Bearer ${clinician}`, "content-type": "application/json", traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      body: JSON.stringify(registered),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    // A bad body with the person in it: refused, and (checked below) not logged.
    expect(
      (
        await fetch(`http://127.0.0.1:${ports.gateway}/patients`, {
          method: "POST",
          headers: { authorization: `Bearer ${clinician}`, "content-type": "application/json" },
          body: JSON.stringify({ ...registered, birthDate: "not-a-date" }),
        })
      ).status,
    ).toBe(400);

    type Span = { service: string; name: string; kind: number; spanId: string; parentSpanId: string | null; traceId: string; linksTo: string[] };
    let spans: Span[] = [];
    await waitUntil(async () => {
      const r = await fetch(`http://127.0.0.1:${ports.gateway}/_lab/traces/${traceId}`, { headers: { authorization: `Bearer ${sre}` } });
      if (!r.ok) return false;
      spans = ((await r.json()) as { spans: Span[] }).spans;
      return spans.some((s) => s.name === "lab.events publish") && spans.some((s) => s.name === "lab.events process");
    }, 30_000);
    const gatewayServer = spans.find((s) => s.service === "gateway" && s.kind === 1)!; // SERVER
    const gatewayClient = spans.find((s) => s.service === "gateway" && s.kind === 2)!; // CLIENT
    const clinicalServer = spans.find((s) => s.service === "clinical" && s.kind === 1)!;
    const transaction = spans.find((s) => s.service === "clinical" && s.name === "shard transaction patient.register")!;
    expect(gatewayServer.parentSpanId).toBe("00f067aa0ba902b7"); // the caller's span
    expect(gatewayClient.parentSpanId).toBe(gatewayServer.spanId);
    expect(clinicalServer.parentSpanId).toBe(gatewayClient.spanId);
    expect(transaction.parentSpanId).toBe(clinicalServer.spanId);
    for (const s of [gatewayServer, gatewayClient, clinicalServer, transaction]) expect(s.traceId).toBe(traceId);
    // The relay's and the projector's batch spans belong to their own traces and link to the request's.
    const relay = spans.find((s) => s.name === "lab.events publish")!;
    const projector = spans.find((s) => s.name === "lab.events process")!;
    for (const s of [relay, projector]) {
      expect(s.service).toBe("projector");
      expect(s.traceId).not.toBe(traceId);
      expect(s.linksTo).toContain(clinicalServer.spanId);
    }
    const unknown = await fetch(`http://127.0.0.1:${ports.gateway}/_lab/traces/${"0".repeat(31)}1`, { headers: { authorization: `Bearer ${sre}` } });
    expect(unknown.status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${ports.gateway}/_lab/traces/${traceId}`, { headers: { authorization: `Bearer ${clinician}` } })).status).toBe(403);
  }, 60_000);

  it("serves /metrics from every process", async () => {
    for (const [name, port] of Object.entries(ports)) {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(text, name).toContain(`process_cpu_user_seconds_total{service="${name}"}`);
    }
  });

  it("logs JSON lines with trace, span and request ids, and no clear identifier of anyone in the lab", async () => {
    const lines = logs
      .join("")
      .split("\n")
      .filter((l) => l.startsWith("{"));
    const requests = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === "request");
    expect(requests.length).toBeGreaterThan(5);
    for (const line of requests) {
      expect(line.traceId, JSON.stringify(line)).toMatch(/^[0-9a-f]{32}$/);
      expect(line.spanId, JSON.stringify(line)).toMatch(/^[0-9a-f]{16}$/);
      expect(line.requestId, JSON.stringify(line)).toBeTruthy();
    }
    const clear = [
      ...Object.entries(registered)
        .filter(([k]) => !["facilityId", "sex", "region", "birthDate"].includes(k))
        .map(([, v]) => v),
      ...people.filter((p) => p.length >= 5),
    ];
    const all = logs.join("");
    const found = clear.filter((value) => all.includes(value));
    expect(found, "clear identifiers in the lab's logs").toEqual([]);
  });
});
