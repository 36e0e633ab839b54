// Audit search across shards: by request id, actor, action, entity, time range and shard, newest first,
// in cursor pages. The key is (occurredAt, "shard:sequence") so entries from different shards at the same
// millisecond still have one order.
import type { AuditEntry } from "../data/prisma-clients.ts";
import { type Page, type PageKey, scatterPage } from "../data/cross-shard-page.ts";
import type { LabDatabases, ShardHandle } from "../data/lab-databases.ts";
import { LabError } from "../errors/index.ts";

export interface AuditQuery {
  requestId?: string;
  actorId?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  patientId?: string;
  from?: Date;
  to?: Date;
  shards?: number[];
  limit: number;
  cursor?: string | null;
}

export type AuditHit = AuditEntry & { shard: number };

const SEQUENCE_DIGITS = 15;
const entryKey = (shard: number, sequence: bigint) => `${String(shard).padStart(3, "0")}:${sequence.toString().padStart(SEQUENCE_DIGITS, "0")}`;

// Newest first: the keyset runs on negated times, so "after the cursor" means "older than it".
const keyOf = (hit: AuditHit): PageKey => ({ sort: -hit.occurredAt.getTime(), id: entryKey(hit.shard, hit.sequence) });

function afterCursor(shard: number, after: PageKey | null) {
  if (!after) return {};
  const at = new Date(-Number(after.sort));
  if (typeof after.sort !== "number" || !Number.isFinite(at.getTime()) || !/^\d{3}:\d{15}$/.test(after.id)) {
    throw new LabError("invalid", "cursor belongs to another list; start again without it", { field: "cursor" });
  }
  const [cursorShard, cursorSequence] = after.id.split(":").map((part) => BigInt(part)) as [bigint, bigint];
  const sameInstant =
    BigInt(shard) > cursorShard ? [{ occurredAt: at }] : BigInt(shard) === cursorShard ? [{ occurredAt: at, sequence: { gt: cursorSequence } }] : [];
  return { OR: [{ occurredAt: { lt: at } }, ...sameInstant] };
}

export async function searchAudit(lab: LabDatabases, query: AuditQuery): Promise<Page<AuditHit>> {
  const shards = query.shards ? lab.shards.filter((s) => query.shards!.includes(s.index)) : lab.shards;
  const where = {
    ...(query.requestId ? { requestId: query.requestId } : {}),
    ...(query.actorId ? { actorId: query.actorId } : {}),
    ...(query.action ? { action: query.action } : {}),
    ...(query.entityType ? { entityType: query.entityType } : {}),
    ...(query.entityId ? { entityId: query.entityId } : {}),
    ...(query.patientId ? { patientId: query.patientId } : {}),
    ...(query.from || query.to ? { occurredAt: { ...(query.from ? { gte: query.from } : {}), ...(query.to ? { lt: query.to } : {}) } } : {}),
  };
  return scatterPage(
    shards,
    async (shard: ShardHandle, after, take) => {
      const rows = await shard.reader.auditEntry.findMany({
        where: { AND: [where, afterCursor(shard.index, after)] },
        // Same instant: ascending sequence, matching the key's ascending "shard:sequence" tie-break.
        orderBy: [{ occurredAt: "desc" }, { sequence: "asc" }],
        take,
      });
      return rows.map((r) => ({ ...r, shard: shard.index }));
    },
    keyOf,
    { limit: query.limit, cursor: query.cursor },
  );
}
