// Journey SLIs through the real gateway and services: each answered request of a persona journey is
// counted once, in the Prometheus counters every process serves at /metrics and in the minute rollups the
// SLO engine reads; the simulator's client-side outcomes come in through POST /_lab/slis, bad batches
// are refused naming the field, and failed requests are counted as bad in what GET /_lab/slos evaluates.
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueLabToken, labSigningKey } from "../lib/auth/tokens.ts";
import type { SqlDatabase } from "../lib/data/sql-database.ts";
import { loadSloDirectory } from "../lib/slo/load-slos.ts";
import { readSli } from "../lib/slo/sli-store.ts";
import { openTelemetryStore } from "../lib/telemetry/telemetry-store.ts";
import { type PersonaLab, type ServiceStack, caller, openPersonaLab, personaTokens, startServiceStack } from "./support/service-harness.ts";
import { BACKENDS } from "./support/test-labs.ts";

const SECRET = "integration-test-secret-0123456789";
const key = labSigningKey(SECRET);
const slos = loadSloDirectory(join(import.meta.dirname, "../slo"));
const slo = (name: string) => slos.find((s) => s.name === name)!;
const thisMinute = () => Math.floor(Date.now() / 60_000);

/** The value of the Prometheus sample with this name and (at least) these labels, in any label order. */
function sample(exposition: string, name: string, labels: Record<string, string>): number | null {
  for (const line of exposition.split("\n")) {
    const m = /^([a-zA-Z_:][\w:]*)\{(.*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...m[2]!.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return null;
}

describe.each(BACKENDS)("journey SLIs on %s", (backend) => {
  let t: PersonaLab;
  let store: SqlDatabase;
  let services: ServiceStack;
  let clinical: FastifyInstance;
  let gateway: FastifyInstance;
  let call: ReturnType<typeof caller>;

  beforeAll(async () => {
    t = await openPersonaLab(backend, { seed: 5, patients: 20, facilities: 1, secret: SECRET });
    store = await openTelemetryStore(t.config);
    services = await startServiceStack(t.lab, key, { slis: { store, slos } });
    ({ clinical, gateway } = services);
    call = caller(gateway, t.tokens);
  });
  afterAll(async () => {
    await services?.close();
    await store?.close();
    await t?.dispose();
  });

  it("counts each journey request once, at /metrics and in the minute rollups, and nothing for callers outside a journey", async () => {
    for (let i = 0; i < 3; i++) expect((await call("clinician", "GET", `/patients/${t.patientId}`)).statusCode).toBe(200);
    expect((await call("patient", "GET", `/patients/${t.patientId}`)).statusCode).toBe(200);
    expect((await call("instructor", "GET", `/patients/${t.patientId}`)).statusCode).toBe(403); // no instructor journey
    const metrics = (await gateway.inject({ method: "GET", url: "/metrics" })).body;
    expect(
      sample(metrics, "pimlab_journey_requests_total", { journey: "clinician/find-patient", source: "server", outcome: "success", service: "gateway" }),
    ).toBe(3);
    expect(sample(metrics, "pimlab_journey_requests_total", { journey: "patient/view-record", source: "server", outcome: "success" })).toBe(1);
    const shard = String(t.lab.shardMap.shardOf(t.patientId));
    expect(
      sample(metrics, "http_server_request_duration_seconds_count", {
        http_request_method: "GET",
        http_route: "/patients/:patientId",
        http_response_status_code: "200",
        shard,
        service: "gateway",
      }),
    ).toBe(4);
    expect(metrics).toContain("process_cpu_user_seconds_total");
    const service = (await clinical.inject({ method: "GET", url: "/metrics" })).body;
    expect(
      sample(service, "http_server_request_duration_seconds_count", {
        http_request_method: "GET",
        http_route: "/patients/:patientId",
        http_response_status_code: "200",
        shard,
        service: "clinical",
      }),
    ).toBe(4);

    await (await call("sre", "GET", "/_lab/slos")).json(); // flushes the recorder
    const minute = thisMinute();
    const sli = await readSli(store, slo("clinician-find-patient-availability"), minute - 2, minute + 1);
    expect(Array.from(sli.total).reduce((a, b) => a + b, 0)).toBe(3);
    expect(Array.from(sli.bad).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it("counts the simulator's warm-up requests apart, labelled, and never in a journey's SLI", async () => {
    const total = async () => {
      await (await call("sre", "GET", "/_lab/slos")).json(); // flushes the recorder
      const minute = thisMinute();
      return Array.from((await readSli(store, slo("clinician-find-patient-availability"), minute - 2, minute + 1)).total).reduce((a, b) => a + b, 0);
    };
    const before = await total();
    const clinician = {
      userId: "sim-clinician-warm",
      role: "clinician" as const,
      facilityId: (await t.lab.shardForPatient(t.patientId).prisma.patient.findUniqueOrThrow({ where: { id: t.patientId } })).facilityId,
      patientId: null,
    };
    const warm = await issueLabToken(key, { ...clinician, traffic: "warmup" });
    for (let i = 0; i < 2; i++)
      expect((await gateway.inject({ method: "GET", url: `/patients/${t.patientId}`, headers: { authorization: `Bearer ${warm}` } })).statusCode).toBe(200);
    const metrics = (await gateway.inject({ method: "GET", url: "/metrics" })).body;
    expect(sample(metrics, "pimlab_warmup_requests_total", { journey: "clinician/find-patient", outcome: "success", service: "gateway" })).toBe(2);
    expect(await total()).toBe(before);
    // The same person without the warm-up label counts as ever.
    const plain = await issueLabToken(key, clinician);
    expect((await gateway.inject({ method: "GET", url: `/patients/${t.patientId}`, headers: { authorization: `Bearer ${plain}` } })).statusCode).toBe(200);
    expect(await total()).toBe(before + 1);
  });

  it("takes the simulator's client-side outcomes, and refuses a bad batch naming the field, writing nothing", async () => {
    const at = new Date().toISOString();
    const good = await call("instructor", "POST", "/_lab/slis", {
      outcomes: [
        { journey: "clinician/record-diagnosis", at, ok: true, latencyMs: 120 },
        { journey: "clinician/record-diagnosis", at, ok: false, latencyMs: 3000 },
      ],
    });
    expect(good.statusCode, good.body).toBe(202);
    expect(good.json()).toEqual({ accepted: 2 });
    const unknown = await call("instructor", "POST", "/_lab/slis", {
      outcomes: [
        { journey: "clinician/record-diagnosis", at, ok: true, latencyMs: 5 },
        { journey: "clinician/juggle", at, ok: true, latencyMs: 5 },
      ],
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().field).toBe("outcomes.1.journey");
    const future = await call("instructor", "POST", "/_lab/slis", {
      outcomes: [{ journey: "clinician/record-diagnosis", at: "2999-01-01T00:00:00Z", ok: true, latencyMs: 5 }],
    });
    expect(future.statusCode).toBe(422);
    expect(future.json().field).toBe("outcomes.0.at");
    expect(
      (await call("clinician", "POST", "/_lab/slis", { outcomes: [{ journey: "clinician/record-diagnosis", at, ok: true, latencyMs: 5 }] })).statusCode,
    ).toBe(403);
    expect((await call(null, "POST", "/_lab/slis", { outcomes: [] })).statusCode).toBe(401);

    await call("sre", "GET", "/_lab/slos");
    const minute = thisMinute();
    const client = await readSli(store, slo("clinician-record-diagnosis-availability-client"), minute - 2, minute + 1);
    expect([Array.from(client.total).reduce((a, b) => a + b, 0), Array.from(client.bad).reduce((a, b) => a + b, 0)]).toEqual([2, 1]);
    const metrics = (await gateway.inject({ method: "GET", url: "/metrics" })).body;
    expect(sample(metrics, "pimlab_journey_requests_total", { journey: "clinician/record-diagnosis", source: "client", outcome: "error" })).toBe(1);
  });

  it("counts failed journey requests as bad, flushed before GET /_lab/slos reports every SLO and group (operators only)", async () => {
    // An injected 503 on every patient read of the clinical service: clinician/find-patient fails.
    const rules = {
      rules: [
        {
          id: "reads-down",
          match: { routes: ["/patients/:patientId"], methods: ["GET"] },
          effect: { kind: "error", status: 503, rate: 1 },
          durationSeconds: 60,
        },
      ],
    };
    const token = (await personaTokens(key, t.patientId)).sre;
    const switched = await clinical.inject({
      method: "PUT",
      url: "/_lab/faults",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      payload: JSON.stringify(rules),
    });
    expect(switched.statusCode, switched.body).toBe(200);
    for (let i = 0; i < 20; i++) expect((await call("clinician", "GET", `/patients/${t.patientId}`)).statusCode).toBe(503);
    await clinical.inject({ method: "DELETE", url: "/_lab/faults", headers: { authorization: `Bearer ${token}` } });

    const minute = thisMinute();
    // The report flushes the counts before it evaluates (it evaluates complete minutes only).
    const report = await call("sre", "GET", "/_lab/slos");
    expect(report.statusCode).toBe(200);
    const body = report.json() as { slos: { name: string; budgetRemaining: number }[]; groups: { name: string; members: string[] }[] };
    expect(body.slos.map((s) => s.name).sort()).toEqual(slos.map((s) => s.name).sort());
    expect(body.groups.find((g) => g.name === "clinical-30d")!.members).toContain("clinician-find-patient-availability");
    const after = await readSli(store, slo("clinician-find-patient-availability"), minute - 2, minute + 1);
    expect(Array.from(after.bad).reduce((a, b) => a + b, 0)).toBe(20);
    for (const who of ["patient", "clinician", "billing"] as const) expect((await call(who, "GET", "/_lab/slos")).statusCode).toBe(403);
  });

  it("serves a journey hidden by a gateway fault rule as usual but never counts it, and only the gateway takes such a rule", async () => {
    const count = async () => {
      await call("sre", "GET", "/_lab/slos"); // flushes the recorder
      const minute = thisMinute();
      const sum = async (name: string) => Array.from((await readSli(store, slo(name), minute - 2, minute + 1)).total).reduce((a, b) => a + b, 0);
      return { clinician: await sum("clinician-find-patient-availability"), patient: await sum("patient-view-record-availability") };
    };
    const before = await count();
    const metric = async () =>
      sample((await gateway.inject({ method: "GET", url: "/metrics" })).body, "pimlab_journey_requests_total", {
        journey: "clinician/find-patient",
        source: "server",
        outcome: "success",
      });
    const countedBefore = await metric();
    const blind = {
      rules: [
        {
          id: "unrecorded",
          match: { routes: ["/patients/:patientId"], methods: ["GET"], personas: ["clinician"] },
          effect: { kind: "unrecorded" },
          durationSeconds: 60,
        },
      ],
    };
    expect((await call("instructor", "PUT", "/_lab/faults", blind)).statusCode).toBe(200);
    for (let i = 0; i < 3; i++) expect((await call("clinician", "GET", `/patients/${t.patientId}`)).statusCode).toBe(200);
    expect((await call("patient", "GET", `/patients/${t.patientId}`)).statusCode).toBe(200);
    expect(await count()).toEqual({ clinician: before.clinician, patient: before.patient + 1 });
    expect(await metric()).toBe(countedBefore);
    // A rollback (on-call may) and the journey counts again.
    const oncall = await issueLabToken(key, { userId: "usr-oncall", role: "oncall", facilityId: null, patientId: null });
    const rollback = await gateway.inject({ method: "DELETE", url: "/_lab/faults", headers: { authorization: `Bearer ${oncall}` } });
    expect(rollback.json()).toEqual({ service: "gateway", rules: [] });
    expect((await call("clinician", "GET", `/patients/${t.patientId}`)).statusCode).toBe(200);
    expect((await count()).clinician).toBe(before.clinician + 1);
    // The services count no SLI: they refuse the effect, naming the field.
    const sre = (await personaTokens(key, t.patientId)).sre;
    const refused = await clinical.inject({
      method: "PUT",
      url: "/_lab/faults",
      headers: { authorization: `Bearer ${sre}`, "content-type": "application/json" },
      payload: JSON.stringify(blind),
    });
    expect(refused.json()).toMatchObject({ status: 422, field: "rules.0.effect.kind" });
  });

  it("serves an SLO's minute-by-minute history with the other side's SLO of its journey, operators only, naming a bad field", async () => {
    const res = await call("sre", "GET", "/_lab/slos/clinician-find-patient-availability/history?minutes=10");
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as {
      history: { points: { at: string; burn: Record<string, unknown> }[] };
      counterpart: { name: string; source: string } | null;
      tiers: { tier: string }[];
    };
    expect(body.history.points).toHaveLength(10);
    expect(body.history.points.at(-1)!.at).toBe(new Date(thisMinute() * 60_000).toISOString());
    expect(Object.keys(body.history.points[0]!.burn)).toEqual(["page-fast", "page-slow", "ticket-fast", "ticket-slow"]);
    expect(body.counterpart).toMatchObject({ name: "clinician-find-patient-availability-client", source: "client" });
    expect((await call("patient", "GET", "/_lab/slos/clinician-find-patient-availability/history")).statusCode).toBe(403);
    const unknown = await call("sre", "GET", "/_lab/slos/no-such-slo/history");
    expect([unknown.statusCode, unknown.json().field]).toEqual([404, "name"]);
    const bad = await call("sre", "GET", "/_lab/slos/clinician-find-patient-availability/history?minutes=2");
    expect([bad.statusCode, bad.json().field]).toEqual([400, "minutes"]);
  });
});
