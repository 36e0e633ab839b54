// Builds the clinical service on a lab's databases (the entry point and the tests both use it).
import type { FastifyInstance } from "fastify";
import { type TokenKey } from "../../lib/auth/tokens.ts";
import type { LabDatabases } from "../../lib/data/lab-databases.ts";
import { createLabServer } from "../common/lab-server.ts";
import { clinicalRoutes } from "./routes.ts";

export function buildClinicalServer(lab: LabDatabases, tokenKey: TokenKey, logLevel = "info"): FastifyInstance {
  const app = createLabServer({
    name: "clinical",
    logLevel,
    ready: async () => {
      await Promise.all([lab.control.sql.query("SELECT 1"), ...lab.shards.map((s) => s.sql.query("SELECT 1"))]);
    },
  });
  clinicalRoutes(app, lab, tokenKey);
  return app;
}
