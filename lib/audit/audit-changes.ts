// The before/after states behind audit entries (FR-07.1: "audit trails capture ... before/after states"): a
// shard write stores its entity's history row in the same transaction as its audit entry, with the same
// request id. History moves with its patient, so it is read on the patient's shard of the current map.
import type { EntityHistory } from "../data/prisma-clients.ts";
import type { LabDatabases, ShardHandle } from "../data/lab-databases.ts";
import { CONTROL_LOG } from "./audit-logs.ts";
import type { AuditHit } from "./search-audit.ts";

export interface EntityChange {
  operation: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export const hitId = (hit: Pick<AuditHit, "shard" | "sequence">) => `${hit.shard}:${hit.sequence}`;

const parseState = (json: string | null) => (json === null ? null : (JSON.parse(json) as Record<string, unknown>));

async function historyOn(shard: ShardHandle, hits: AuditHit[]): Promise<EntityHistory[]> {
  const idsByType = new Map<string, Set<string>>();
  for (const h of hits) idsByType.set(h.entityType, (idsByType.get(h.entityType) ?? new Set()).add(h.entityId));
  // (entityType, entityId) leads the history's index; the request id narrows it to these writes.
  return shard.reader.entityHistory.findMany({
    where: {
      requestId: { in: [...new Set(hits.map((h) => h.requestId!))] },
      OR: [...idsByType].map(([entityType, ids]) => ({ entityType, entityId: { in: [...ids] } })),
    },
    orderBy: { version: "asc" },
  });
}

/** The change each shard entry made to its entity, by hitId; entries without a recorded change are absent. */
export async function entityChangesOf(lab: Pick<LabDatabases, "shards" | "shardForPatient">, hits: readonly AuditHit[]): Promise<Map<string, EntityChange>> {
  const byShard = new Map<ShardHandle, AuditHit[]>();
  for (const h of hits) {
    if (h.shard === CONTROL_LOG || h.requestId === null) continue; // the control log has no entity history
    const shard = h.patientId ? lab.shardForPatient(h.patientId) : lab.shards[h.shard];
    if (shard) byShard.set(shard, [...(byShard.get(shard) ?? []), h]);
  }
  const changes = new Map<string, EntityChange>();
  await Promise.all(
    [...byShard].map(async ([shard, shardHits]) => {
      const rows = await historyOn(shard, shardHits);
      for (const h of shardHits) {
        // The newest version this request wrote, when it wrote the entity more than once.
        const row = rows.findLast((r) => r.requestId === h.requestId && r.entityType === h.entityType && r.entityId === h.entityId);
        if (row) changes.set(hitId(h), { operation: row.operation, before: parseState(row.before), after: parseState(row.after) });
      }
    }),
  );
  return changes;
}
