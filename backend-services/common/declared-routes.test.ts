// The lab client against a lab server serving declared routes (real HTTP on a loopback port): answers
// typed as declared, refusals and missing records as LabError codes rebuilt from the problem body, and a
// process that is down or hangs as unavailable or timeout naming it.
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../lib/auth/roles.ts";
import { createTokenVerifier, issueLabToken, labSigningKey } from "../../lib/auth/tokens.ts";
import { DRILL_ENGINE_ROUTES as R } from "../../lib/contracts/routes/drill-engine-routes.ts";
import type { DrillRun } from "../../lib/drills/drill-runs.ts";
import { LabError } from "../../lib/errors/index.ts";
import { type LabOrigins, createLabClient } from "../../lib/lab-client/lab-client.ts";
import { declaredRoutes } from "./declared-routes.ts";
import { createLabServer } from "./lab-server.ts";

const key = labSigningKey("a lab secret for the client test");
const sre: Actor = { userId: "usr-sre", role: "sre", facilityId: null, patientId: null };
const patient: Actor = { userId: "usr-pat", role: "patient", facilityId: null, patientId: "pat-1" };

const run = { id: "drl-abc-1", drill: "service-latency", status: "running" } as unknown as DrillRun;

describe("the lab client against declared routes", () => {
  const app = createLabServer({ name: "drill-engine", logLevel: "silent", ready: async () => undefined });
  let origins: LabOrigins;
  const seen: string[] = [];

  beforeAll(async () => {
    const routes = declaredRoutes(app, { tokens: createTokenVerifier(key) });
    routes.serve(R.drillRun, ({ params }) => {
      seen.push(params.runId);
      if (params.runId !== run.id) throw new LabError("not_found", `no drill run ${params.runId}`, { field: "runId" });
      return run;
    });
    routes.serve(R.startScenario, ({ body }) => {
      throw new LabError("conflict", `scenario ${body.scenario} is already running`, { field: "scenario" });
    });
    routes.serve(R.drillRuns, () => new Promise<never>(() => undefined)); // hangs
    await app.listen({ port: 0, host: "127.0.0.1" });
    const at = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    origins = { gateway: at, clinical: at, billing: at, projector: at, simulator: at, "drill-engine": at, supervisor: at };
  });
  afterAll(() => app.close());

  const as = (actor: Actor, o: Partial<Parameters<typeof createLabClient>[0]> = {}) =>
    createLabClient({ origins, authorization: async () => `Bearer ${await issueLabToken(key, actor)}`, ...o });

  it("answers what the route declares, its path values encoded", async () => {
    expect(await as(sre).drillRun({ params: { runId: run.id } })).toEqual(run);
    expect(seen).toEqual([run.id]);
  });

  it("rebuilds refusals as LabError codes with the field the problem names", async () => {
    await expect(as(sre).drillRun({ params: { runId: "drl-missing" } })).rejects.toMatchObject({
      code: "not_found",
      field: "runId",
      message: "no drill run drl-missing",
    });
    await expect(as(sre).drillRun({ params: { runId: "not a run" } })).rejects.toMatchObject({ code: "invalid", field: "runId" });
    await expect(as(patient).drillRun({ params: { runId: run.id } })).rejects.toMatchObject({
      code: "forbidden",
      message: "role patient may not controls.read",
    });
    await expect(as(sre).startScenario({ body: { scenario: "latency" } })).rejects.toMatchObject({ code: "conflict", field: "scenario" });
    const anonymous = createLabClient({ origins, authorization: async () => "Bearer nope" });
    await expect(anonymous.drillRun({ params: { runId: run.id } })).rejects.toMatchObject({ code: "unauthenticated" });
    // The refusal came from the process's answer: a request id to quote.
    await expect(as(patient).drillRun({ params: { runId: run.id } })).rejects.toSatisfy(
      (err: LabError) => typeof err.requestId === "string" && err.requestId.length >= 8,
    );
  });

  it("names a process that is down, and one that does not answer in time", async () => {
    const down = createLabClient({ origins: { ...origins, "drill-engine": "http://127.0.0.1:9" }, authorization: async () => "Bearer x" });
    await expect(down.drillRuns()).rejects.toMatchObject({ code: "unavailable", message: "the drill engine is not running" });
    await expect(as(sre, { timeoutMs: { read: 200, write: 200 } }).drillRuns()).rejects.toMatchObject({
      code: "timeout",
      message: "the drill engine did not answer within 0.2 s",
    });
  });
});
