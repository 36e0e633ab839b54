// Builds the billing service on a lab's databases (the entry point and the tests both use it).
import type { FastifyInstance } from "fastify";
import { type TokenKey, createTokenVerifier } from "../../lib/auth/tokens.ts";
import type { LabDatabases } from "../../lib/data/lab-databases.ts";
import { FaultSwitch } from "../../lib/faults/fault-switch.ts";
import { declaredRoutes } from "../common/declared-routes.ts";
import { installFaults } from "../common/fault-hooks.ts";
import { createLabServer, databasesAnswer } from "../common/lab-server.ts";
import { billingRoutes } from "./routes.ts";

export function buildBillingServer(lab: LabDatabases, tokenKey: TokenKey, logLevel = "info"): FastifyInstance {
  const tokens = createTokenVerifier(tokenKey);
  const app = createLabServer({ name: "billing", logLevel, ready: databasesAnswer(lab) });
  const routes = declaredRoutes(app, { tokens });
  installFaults(app, routes, new FaultSwitch("billing", lab), tokens, () => lab.shardMap);
  billingRoutes(routes, lab);
  return app;
}
