// Prisma clients through driver adapters only: better-sqlite3 for the embedded lab, pg for full mode.
// Both generated clients have the same models; the SQLite client's type stands for both.
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresPrismaClient } from "./generated/postgresql/client.ts";
import { PrismaClient as SqlitePrismaClient } from "./generated/sqlite/client.ts";
import type { DatabaseTarget } from "./lab-topology.ts";

export type LabPrisma = InstanceType<typeof SqlitePrismaClient>;
export type {
  Annotation,
  AuditEntry,
  Claim,
  ClaimLine,
  Diagnosis,
  DrillRun,
  Encounter,
  EntityHistory,
  Facility,
  IdempotencyRecord,
  Medication,
  OutboxEvent,
  Patient,
  Procedure,
  Provider,
  ShardBucket,
  User,
} from "./generated/sqlite/client.ts";

export function createPrismaClient(target: DatabaseTarget): LabPrisma {
  if (target.provider === "sqlite") {
    return new SqlitePrismaClient({ adapter: new PrismaBetterSqlite3({ url: target.location, timeout: 5000 }) });
  }
  const client = new PostgresPrismaClient({
    adapter: new PrismaPg({ connectionString: target.location, max: 4, connectionTimeoutMillis: 5000 }),
  });
  return client as unknown as LabPrisma;
}
