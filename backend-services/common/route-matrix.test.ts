// The persona x route matrix, derived from the declarations and checked against the servers: every route
// of every lab process, served through the same declared-routes wrapper the processes use, called as each
// persona and without a token. A persona the policy grants the route's action passes the check (and its
// input is then judged: 200 or a 400 naming the field), every other is a 403, and no token is a 401 except on public routes. A route
// registered without its declaration stops the server, so these are all the routes there are.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { actorOfEachRole } from "../../lib/auth/actor-fixture.ts";
import { ROLES, type Role } from "../../lib/auth/roles.ts";
import { createTokenVerifier, issueLabToken, labSigningKey } from "../../lib/auth/tokens.ts";
import { pathOf } from "../../lib/contracts/lab-route.ts";
import { PROCESSES, routesOf } from "../../lib/contracts/lab-routes.ts";
import { permissionMatrix, permissionMatrixMarkdown, standingOf } from "../../lib/contracts/permission-matrix.ts";
import { probeRoutes } from "../../lib/contracts/routes/service-routes.ts";
import { declaredRoutes } from "./declared-routes.ts";
import { createLabServer } from "./lab-server.ts";

const key = labSigningKey("a lab secret for the matrix test");
const actors = actorOfEachRole("pat-own");

/** A server of `process` with every declared route served by a handler that only says it ran. */
function serverOf(process: (typeof PROCESSES)[number]): FastifyInstance {
  const app = createLabServer({ name: process, logLevel: "silent", ready: async () => undefined });
  const routes = declaredRoutes(app, { tokens: createTokenVerifier(key) });
  const probes = new Set(Object.values(probeRoutes(process)).map((r) => r.path));
  for (const route of routesOf(process)) {
    if (probes.has(route.path)) continue; // createLabServer serves them
    if (route.action === "public") routes.servePublic(route, () => ({ ran: true }));
    else routes.serve(route, ({ reply }) => reply.send({ ran: true }));
  }
  return app;
}

describe("the persona x route matrix", () => {
  const servers = new Map<string, FastifyInstance>();
  const tokens = new Map<Role, string>();

  beforeAll(async () => {
    for (const process of PROCESSES) servers.set(process, serverOf(process));
    for (const role of ROLES) tokens.set(role, await issueLabToken(key, actors[role]));
  });
  afterAll(async () => {
    for (const app of servers.values()) await app.close();
  });

  it.each(PROCESSES)("%s answers each declared route as the policy says for every persona, and 401 without a token", async (process) => {
    const app = servers.get(process)!;
    const refused: string[] = [];
    for (const route of routesOf(process)) {
      const url = pathOf(route, {
        patientId: "pat-own",
        encounterId: "enc-1",
        medicationId: "med-1",
        claimId: "clm-1",
        runId: "drl-1",
        jobId: "job-1",
        name: "clinical",
        shard: "2",
        service: "clinical",
        traceId: "a".repeat(32),
        eventId: "evt-1",
      });
      const call = (authorization?: string) =>
        app.inject({
          method: route.method,
          url,
          headers: authorization ? { authorization } : {},
          ...(route.method === "GET" || route.method === "DELETE" ? {} : { payload: {} }),
        });
      const anonymous = await call();
      if (route.action === "public") expect(anonymous.statusCode, `${route.method} ${route.path} anonymous`).toBe(200);
      else expect(anonymous.statusCode, `${route.method} ${route.path} anonymous`).toBe(401);
      for (const role of ROLES) {
        const res = await call(`Bearer ${tokens.get(role)}`);
        const allowed = standingOf(role, route.action) !== null;
        if (allowed !== ![401, 403].includes(res.statusCode))
          refused.push(`${role} ${route.method} ${route.path}: ${res.statusCode} (policy says ${allowed ? "allowed" : "refused"})`);
        if (!allowed) expect(res.statusCode, `${role} ${route.method} ${route.path}`).toBe(403);
      }
    }
    expect(refused).toEqual([]);
  });

  it("refuses to start a server with a route that has no declaration", () => {
    const app = createLabServer({ name: "simulator", logLevel: "silent", ready: async () => undefined });
    expect(() => app.get("/_lab/secret", async () => ({}))).toThrow(/GET \/_lab\/secret is not served from a declaration of the simulator process/);
    // A declaration of another process does not do either.
    expect(() =>
      declaredRoutes(app, { tokens: createTokenVerifier(key) }).serve(routesOf("supervisor").find((r) => r.path === "/_lab/processes")! as never, () => ({})),
    ).toThrow(/not served from a declaration of the simulator/);
    return app.close();
  });

  it("declares each route once, with one action", () => {
    for (const process of PROCESSES) {
      const keys = routesOf(process).map((r) => `${r.method} ${r.path}`);
      expect(new Set(keys).size, process).toBe(keys.length);
    }
    const portal = permissionMatrix()
      .filter((r) => r.where !== "portal page" && !PROCESSES.includes(r.where as never))
      .map((r) => `${r.method} ${r.path}`);
    expect(new Set(portal).size).toBe(portal.length);
  });

  it("has docs/permissions.md as the declarations make it (npm run routes:doc)", () => {
    expect(readFileSync(join(import.meta.dirname, "..", "..", "docs", "permissions.md"), "utf8")).toBe(permissionMatrixMarkdown());
  });
});
