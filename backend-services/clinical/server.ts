// Builds the clinical service on a lab's databases (the entry point and the tests both use it).
import type { FastifyInstance } from "fastify";
import type { TokenKey } from "../../lib/auth/tokens.ts";
import type { LabDatabases } from "../../lib/data/lab-databases.ts";
import { buildShardService } from "../common/shard-service.ts";
import { clinicalRoutes } from "./routes.ts";

export function buildClinicalServer(lab: LabDatabases, tokenKey: TokenKey, logLevel = "info"): FastifyInstance {
  return buildShardService("clinical", clinicalRoutes, lab, tokenKey, logLevel);
}
