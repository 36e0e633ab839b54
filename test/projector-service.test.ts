// The projector process on a real lab: the relay carries a write's events from the shard's outbox to the
// bus, the projector fills the read models while the lab runs, and its operations API answers only the
// roles allowed to see (ops.read) or redrive (events.redrive).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ProjectorProcess, startProjectorProcess } from "../backend-services/projector/server.ts";
import type { Actor } from "../lib/auth/roles.ts";
import { labSigningKey } from "../lib/auth/tokens.ts";
import { registerPatient } from "../lib/clinical/patient-commands.ts";
import { type SqlDatabase, openSqlite } from "../lib/data/sql-database.ts";
import { type EmbeddedLog, openEmbeddedLog } from "../lib/events/embedded-log.ts";
import { migrateReadModels } from "../lib/events/projections.ts";
import { generateLabData } from "../lib/synth/generate-lab-data.ts";
import { commandContext, patientRegistration } from "./support/clinical-writes.ts";
import { type Persona, PERSONAS, personaTokens } from "./support/service-harness.ts";
import { type TestLab, createTestLab } from "./support/test-labs.ts";

const SECRET = "integration-test-secret-0123456789";
const clinician: Actor = { userId: "usr-c", role: "clinician", facilityId: "fac-0001", patientId: null };

describe("projector process", () => {
  let t: TestLab;
  let dir: string;
  let bus: EmbeddedLog;
  let models: SqlDatabase;
  let projector: ProjectorProcess;
  let tokens: Record<Persona, string>;

  beforeAll(async () => {
    t = await createTestLab("sqlite", { secret: SECRET });
    await generateLabData(t.lab, { patients: 10, seed: 4, facilities: 1 });
    dir = mkdtempSync(join(tmpdir(), "pimlab-projector-svc-"));
    bus = await openEmbeddedLog({ file: join(dir, "events.db"), partitions: 4, pollMs: 5 });
    models = openSqlite(join(dir, "read-models.db"), "read-models");
    await migrateReadModels(models);
    projector = await startProjectorProcess(t.lab, bus, models, labSigningKey(SECRET), { logLevel: "silent" });
    const anyPatient = (await t.lab.shards[0]!.prisma.patient.findFirstOrThrow()).id;
    tokens = await personaTokens(labSigningKey(SECRET), anyPatient);
  });
  afterAll(async () => {
    await projector?.stop();
    await bus?.close();
    await models?.close();
    rmSync(dir, { recursive: true, force: true });
    await t?.dispose();
  });

  it("fills the read models from a write while it runs: outbox -> relay -> bus -> projector", async () => {
    await registerPatient(t.lab, commandContext("req-proj-1", clinician), patientRegistration("PROJ-1"));
    const end = Date.now() + 10_000;
    let census: { patients: number }[] = [];
    while (Date.now() < end) {
      census = await models.query<{ patients: number }>(`SELECT "patients" FROM "facility_census" WHERE "facility_id" = 'fac-0001'`);
      if (census[0]?.patients === 11) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(census).toEqual([{ patients: 11 }]); // the ten seeded (their snapshots) and the one registered now
    const status = await projector.app.inject({ method: "GET", url: "/_lab/events/status", headers: { authorization: `Bearer ${tokens.sre}` } });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({
      bus: "embedded",
      outboxBacklog: [{ unpublished: 0 }, { unpublished: 0 }, { unpublished: 0 }, { unpublished: 0 }],
      deadLetters: 0,
    });
    // The same readings as gauges for Prometheus.
    const metrics = (await projector.app.inject({ method: "GET", url: "/metrics" })).body;
    expect(metrics).toMatch(/^pimlab_outbox_backlog_events\{shard="3",service="projector"\} 0$/m);
    expect(metrics).toMatch(/^messaging_consumer_lag_messages\{partition="0",service="projector"\} 0$/m);
    expect(metrics).toMatch(/^pimlab_dead_letters\{service="projector"\} 0$/m);
    expect(metrics).toMatch(/^pimlab_outbox_publish_latency_seconds_count\{[^}]*shard="\d"[^}]*\} [1-9]/m);
  });

  it("answers its operations API by role: status and dead letters to ops.read, redrive to events.redrive", async () => {
    const expected: Record<string, Persona[]> = {
      "GET /_lab/events/status": ["sre", "instructor", "admin"],
      "GET /_lab/events/dead-letters": ["sre", "instructor", "admin"],
      "POST /_lab/events/dead-letters/evt-none/redrive": ["sre", "admin"],
      "GET /_lab/events/faults": ["sre", "instructor"],
      "DELETE /_lab/events/faults": ["sre", "instructor"],
    };
    for (const [route, allowed] of Object.entries(expected)) {
      const [method, url] = route.split(" ") as ["GET" | "POST" | "DELETE", string];
      expect((await projector.app.inject({ method, url })).statusCode, `${route} anonymous`).toBe(401);
      for (const persona of PERSONAS) {
        const res = await projector.app.inject({ method, url, headers: { authorization: `Bearer ${tokens[persona]}` } });
        // An allowed redrive of an unknown dead letter is a 404: allowed, and nothing to redrive.
        const ok = method === "POST" ? 404 : 200;
        expect(res.statusCode, `${route} as ${persona}`).toBe(allowed.includes(persona) ? ok : 403);
      }
    }
    expect(
      (await projector.app.inject({ method: "GET", url: "/_lab/events/dead-letters?status=bogus", headers: { authorization: `Bearer ${tokens.sre}` } })).json(),
    ).toMatchObject({ status: 400 });
  });

  it("serves the persona dashboards from the read models by role: census to a clinician's own facility, the claims pipeline to billing, a timeline to its patient", async () => {
    const registered = await registerPatient(
      t.lab,
      commandContext("req-dash-1", clinician),
      // What the timeline must not show of the person: checked below.
      patientRegistration("DASH-1", { givenName: "Dash", familyName: "Board", birthDate: "1990-05-06" }),
    );
    const patientId = (registered.body as { id: string }).id;
    const own = await personaTokens(labSigningKey(SECRET), patientId);
    const get = (who: Persona, url: string) => projector.app.inject({ method: "GET", url, headers: { authorization: `Bearer ${own[who]}` } });
    const timelineUrl = `/_lab/dashboards/timeline/${patientId}`;
    const projected = async () => ((await get("patient", timelineUrl)).json() as { entries?: unknown[] }).entries?.length === 1;
    for (const end = Date.now() + 10_000; Date.now() < end && !(await projected());) await new Promise((r) => setTimeout(r, 25));

    const expected: Record<string, Persona[]> = {
      "/_lab/dashboards/census": ["clinician", "otherClinician", "sre", "instructor", "admin"],
      "/_lab/dashboards/census?facilityId=fac-0001": ["clinician", "sre", "instructor", "admin"],
      "/_lab/dashboards/claims": ["billing", "sre", "instructor", "admin"],
      [timelineUrl]: ["patient", "clinician"],
    };
    for (const [url, allowed] of Object.entries(expected)) {
      expect((await projector.app.inject({ method: "GET", url })).statusCode, `${url} anonymous`).toBe(401);
      for (const persona of PERSONAS) expect((await get(persona, url)).statusCode, `${url} as ${persona}`).toBe(allowed.includes(persona) ? 200 : 403);
    }
    const census = (await get("clinician", "/_lab/dashboards/census")).json();
    expect(census).toMatchObject({ facilityId: "fac-0001", facilities: [{ facilityId: "fac-0001" }], openEncounters: [] });
    expect(census.facilities[0].patients).toBeGreaterThanOrEqual(1);
    expect(census.asOf).toMatch(/^20\d\d-/);
    const timeline = (await get("patient", timelineUrl)).json();
    expect(timeline.entries).toEqual([expect.objectContaining({ type: "PatientRegistered", summary: "registered at fac-0001" })]);
    expect(JSON.stringify(timeline)).not.toMatch(/Dash|Board|1990/);
    // Bad input names its field; a clinician asking for another facility is refused naming it.
    expect((await get("sre", "/_lab/dashboards/census?facilityId=nope")).json()).toMatchObject({ status: 400, field: "facilityId" });
    expect((await get("sre", "/_lab/dashboards/claims?limit=5")).statusCode).toBe(400);
    expect((await get("patient", "/_lab/dashboards/timeline/not-an-id")).json()).toMatchObject({ status: 400, field: "patientId" });
    expect((await get("clinician", "/_lab/dashboards/census?facilityId=fac-0002")).json()).toMatchObject({ status: 403, field: "facilityId" });
  });

  it("injects event-pipeline faults on request: a paused relay backs the outbox up, failing events go to the dead letters, and both end when switched off", async () => {
    const register = (n: number) => registerPatient(t.lab, commandContext(`req-fault-${n}`, clinician), patientRegistration(`FAULT-${n}`));
    const switchFaults = (method: "PUT" | "DELETE", body?: object) =>
      projector.app.inject({
        method,
        url: "/_lab/events/faults",
        headers: { authorization: `Bearer ${tokens.instructor}`, ...(body ? { "content-type": "application/json" } : {}) },
        ...(body ? { payload: body } : {}),
      });
    const status = async () =>
      (await projector.app.inject({ method: "GET", url: "/_lab/events/status", headers: { authorization: `Bearer ${tokens.sre}` } })).json() as {
        outboxBacklog: { unpublished: number }[];
        deadLetters: number;
      };
    const backlog = async () => (await status()).outboxBacklog.reduce((a, b) => a + b.unpublished, 0);
    const until = async (check: () => Promise<boolean>) => {
      for (const end = Date.now() + 10_000; Date.now() < end; await new Promise((r) => setTimeout(r, 25))) if (await check()) return;
      throw new Error("timed out");
    };

    expect((await switchFaults("PUT", { durationSeconds: 60 })).json()).toMatchObject({ status: 400, field: "relayPaused" });
    expect((await switchFaults("PUT", { relayPaused: true, durationSeconds: 60 })).statusCode).toBe(200);
    for (let n = 1; n <= 3; n++) await register(n);
    await new Promise((r) => setTimeout(r, 300));
    expect(await backlog()).toBe(3);
    expect((await switchFaults("DELETE")).statusCode).toBe(200);
    await until(async () => (await backlog()) === 0);

    // Every event fails to project: retried off the partition's path, then dead-lettered.
    expect((await switchFaults("PUT", { consumerFailRate: 1, durationSeconds: 60 })).statusCode).toBe(200);
    const before = (await status()).deadLetters;
    await register(4);
    await until(async () => (await status()).deadLetters > before);
    expect((await switchFaults("DELETE")).statusCode).toBe(200);
    const dead = (await status()).deadLetters;
    await register(5);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await status()).deadLetters).toBe(dead);

    const entries = await t.lab.control.sql.query<{ action: string }>(
      `SELECT "action" FROM "audit_entries" WHERE "entityType" = 'FaultSwitch' AND "entityId" = 'events' ORDER BY "sequence"`,
    );
    expect(entries.map((e) => e.action).slice(-4)).toEqual(["fault.events-on", "fault.events-off", "fault.events-on", "fault.events-off"]);
  }, 30_000);
});
