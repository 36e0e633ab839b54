// Fault injection in a running service: off by default; switched on and off through the authenticated
// control API by SREs and instructors only; each switch audited in the lab's control chain and annotated;
// errors, latency and hangs land only on the requests a rule matches.
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildClinicalServer } from "../backend-services/clinical/server.ts";
import { controlAuditLog } from "../lib/audit/audit-logs.ts";
import { verifyAuditChain } from "../lib/audit/verify-chain.ts";
import { type PersonaLab, caller, openPersonaLab } from "./support/service-harness.ts";
import { BACKENDS } from "./support/test-labs.ts";

const SECRET = "integration-test-secret-0123456789";

describe.each(BACKENDS)("fault injection on %s", (backend) => {
  let t: PersonaLab;
  let app: FastifyInstance;
  let call: ReturnType<typeof caller>;
  let shard: number;

  beforeAll(async () => {
    t = await openPersonaLab(backend, { seed: 31, secret: SECRET });
    shard = t.lab.shardMap.shardOf(t.patientId);
    app = buildClinicalServer(t.lab, t.key, "silent");
    call = caller(app, t.tokens);
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  const errorRule = (over: Record<string, unknown> = {}) => ({
    id: "shard-errors",
    match: { shards: [shard] },
    effect: { kind: "error", status: 503, rate: 1 },
    durationSeconds: 60,
    ...over,
  });

  it("is off by default", async () => {
    expect((await call("sre", "GET", "/_lab/faults")).json()).toEqual({ service: "clinical", rules: [] });
    expect((await call("clinician", "GET", `/patients/${t.patientId}`)).statusCode).toBe(200);
  });

  it("lets only SREs and instructors switch faults, and refuses malformed rules naming the field", async () => {
    for (const who of ["clinician", "billing", "patient", "admin"] as const) {
      expect((await call(who, "PUT", "/_lab/faults", { rules: [errorRule()] })).statusCode, who).toBe(403);
    }
    expect((await call(null, "PUT", "/_lab/faults", { rules: [] })).statusCode).toBe(401);
    expect((await call("sre", "PUT", "/_lab/faults", { rules: [errorRule({ effect: { kind: "error", status: 418, rate: 1 } })] })).json()).toMatchObject({
      status: 400,
      field: "rules.0.effect.status",
    });
    expect((await call("sre", "GET", "/_lab/faults")).json().rules).toEqual([]);
  });

  it("fails only the matching shard's requests while on, audits the switch, and stops when switched off", async () => {
    const other = (
      await Promise.all(t.lab.shards.filter((s) => s.index !== shard).map((s) => s.prisma.patient.findFirst({ where: { facilityId: "fac-0001" } })))
    ).find(Boolean)!;
    const on = await call("instructor", "PUT", "/_lab/faults", { rules: [errorRule()] });
    expect(on.statusCode).toBe(200);
    const hit = await call("clinician", "GET", `/patients/${t.patientId}`);
    expect(hit.statusCode).toBe(503);
    // The answer of a real outage: nothing names the rule.
    expect(hit.headers["x-lab-fault"]).toBeUndefined();
    expect(hit.json()).toMatchObject({ status: 503, detail: "the service is unavailable; retry shortly" });
    expect((await call("clinician", "GET", `/patients/${other.id}`)).statusCode).toBe(200);
    expect((await app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);

    expect((await call("sre", "DELETE", "/_lab/faults")).json().rules).toEqual([]);
    expect((await call("clinician", "GET", `/patients/${t.patientId}`)).statusCode).toBe(200);

    const audit = await t.lab.control.prisma.auditEntry.findMany({ where: { entityType: "FaultSwitch" }, orderBy: { sequence: "asc" } });
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([
      ["fault.switch-on", "usr-instructor"],
      ["fault.switch-off", "usr-sre"],
    ]);
    expect((await verifyAuditChain(controlAuditLog(t.lab), SECRET)).ok).toBe(true);
    expect(await t.lab.control.prisma.annotation.count({ where: { kind: "fault" } })).toBe(2);
  });

  it("adds latency from its distribution to the matching persona only", async () => {
    await call("sre", "PUT", "/_lab/faults", {
      rules: [
        { id: "slow-billing", match: { personas: ["billing"] }, effect: { kind: "latency", distribution: { type: "fixed", ms: 300 } }, durationSeconds: 30 },
      ],
    });
    let started = Date.now();
    expect((await call("billing", "GET", `/patients/${t.patientId}`)).statusCode).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    started = Date.now();
    expect((await call("clinician", "GET", `/patients/${t.patientId}`)).statusCode).toBe(200);
    expect(Date.now() - started).toBeLessThan(250);
    await call("sre", "DELETE", "/_lab/faults");
  });

  it("turns a rule off by itself when its duration is over", async () => {
    await call("sre", "PUT", "/_lab/faults", { rules: [errorRule({ durationSeconds: 1 })] });
    expect((await call("clinician", "GET", `/patients/${t.patientId}`)).statusCode).toBe(503);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await call("clinician", "GET", `/patients/${t.patientId}`)).statusCode).toBe(200);
    expect((await call("sre", "GET", "/_lab/faults")).json().rules).toEqual([]);
  });
});
