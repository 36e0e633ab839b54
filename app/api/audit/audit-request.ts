// What both audit API routes read before they answer: the filter, and the lab's databases (the caller is
// already allowed audit.read with its view: app/portal-route.ts), so bad input is a 400 naming the field.
import type { AuditFilter } from "@/lib/audit/audit-filter.ts";
import { parseAuditFilter } from "@/lib/audit/audit-filter.ts";
import type { LabDatabases } from "@/lib/data/lab-databases.ts";
import { labConfig, sharedLabDatabases } from "@/app/portal-connections.ts";
import { LabError } from "@/lib/errors/index.ts";

export async function auditRequest(request: Request): Promise<{ filter: AuditFilter; lab: LabDatabases }> {
  const filter = parseAuditFilter(new URL(request.url).searchParams, { shardCount: labConfig().shardCount });
  try {
    return { filter, lab: await sharedLabDatabases() };
  } catch (err) {
    throw new LabError("unavailable", `the lab's databases cannot be read: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
