// Audit search across every audit log of the lab, the shards' and the control database's (operators'
// drills, traffic, fault switches): by request id, actor, action, entity, time range and source, newest
// first, in cursor pages. The key is (occurredAt, "source:sequence") so entries from different logs at the
// same millisecond still have one order; a shard's source is its zero-padded index, the control log's
// "ctl", which sorts after every shard.
import { CONTROL_ACTION_PREFIXES } from "./control-timeline.ts";
import type { AuditEntry, LabPrisma } from "../data/prisma-clients.ts";
import { type Page, type PageKey, scatterPage } from "../data/cross-shard-page.ts";
import type { LabDatabases } from "../data/lab-databases.ts";
import { LabError } from "../errors/index.ts";
import { CONTROL_LOG } from "./audit-logs.ts";

export interface AuditQuery {
  requestId?: string;
  actorId?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  patientId?: string;
  from?: Date;
  to?: Date;
  /** Which logs to search: shard indexes, and CONTROL_LOG (-1) for the control database's; all when absent. */
  shards?: number[];
  /** Leave out the lab's control actions, but for this actor's own (a reader who may not see the controls). */
  withoutControlsExcept?: string;
  limit: number;
  cursor?: string | null;
}

/** An entry with the log it came from: a shard's index, or CONTROL_LOG for the control database's. */
export type AuditHit = AuditEntry & { shard: number };

interface AuditSource {
  index: number;
  reader: LabPrisma;
}

const SEQUENCE_DIGITS = 15;
const SOURCE_TAG_OF_CONTROL = "ctl";
const ENTRY_ID = /^(\d{3}|ctl):(\d{15})$/;

const sourceTag = (index: number) => (index === CONTROL_LOG ? SOURCE_TAG_OF_CONTROL : String(index).padStart(3, "0"));
const entryKey = (index: number, sequence: bigint) => `${sourceTag(index)}:${sequence.toString().padStart(SEQUENCE_DIGITS, "0")}`;

/** "control" or "shard 2": how people name an entry's log. */
export function auditSourceLabel(index: number): string {
  return index === CONTROL_LOG ? "control" : `shard ${index}`;
}

// Newest first: the keyset runs on negated times, so "after the cursor" means "older than it".
export const auditHitKey = (hit: AuditHit): PageKey => ({ sort: -hit.occurredAt.getTime(), id: entryKey(hit.shard, hit.sequence) });

function afterCursor(index: number, after: PageKey | null) {
  if (!after) return {};
  const at = new Date(-Number(after.sort));
  const id = ENTRY_ID.exec(after.id);
  if (typeof after.sort !== "number" || !Number.isFinite(at.getTime()) || !id) {
    throw new LabError("invalid", "cursor belongs to another list; start again without it", { field: "cursor" });
  }
  const cursorTag = id[1]!;
  const cursorSequence = BigInt(id[2]!);
  const tag = sourceTag(index);
  // Same instant: this log's entries come after the cursor's when its tag sorts after the cursor's tag,
  // or, in the cursor's own log, past its sequence (all tags are three characters, so byte order holds).
  const sameInstant = tag > cursorTag ? [{ occurredAt: at }] : tag === cursorTag ? [{ occurredAt: at, sequence: { gt: cursorSequence } }] : [];
  return { OR: [{ occurredAt: { lt: at } }, ...sameInstant] };
}

function sourcesOf(lab: LabDatabases, wanted: number[] | undefined): AuditSource[] {
  const all: AuditSource[] = [...lab.shards.map((s) => ({ index: s.index, reader: s.reader })), { index: CONTROL_LOG, reader: lab.control.prisma }];
  return wanted ? all.filter((s) => wanted.includes(s.index)) : all;
}

export async function searchAudit(lab: LabDatabases, query: AuditQuery): Promise<Page<AuditHit>> {
  const where = {
    ...(query.requestId ? { requestId: query.requestId } : {}),
    ...(query.actorId ? { actorId: query.actorId } : {}),
    ...(query.action ? { action: query.action } : {}),
    ...(query.entityType ? { entityType: query.entityType } : {}),
    ...(query.entityId ? { entityId: query.entityId } : {}),
    ...(query.patientId ? { patientId: query.patientId } : {}),
    ...(query.from || query.to ? { occurredAt: { ...(query.from ? { gte: query.from } : {}), ...(query.to ? { lt: query.to } : {}) } } : {}),
    ...(query.withoutControlsExcept !== undefined
      ? { OR: [{ actorId: query.withoutControlsExcept }, { NOT: { OR: CONTROL_ACTION_PREFIXES.map((p) => ({ action: { startsWith: p } })) } }] }
      : {}),
  };
  return scatterPage(
    sourcesOf(lab, query.shards),
    async (source, after, take) => {
      const rows = await source.reader.auditEntry.findMany({
        where: { AND: [where, afterCursor(source.index, after)] },
        // Same instant: ascending sequence, matching the key's ascending "source:sequence" tie-break.
        orderBy: [{ occurredAt: "desc" }, { sequence: "asc" }],
        take,
      });
      return rows.map((r) => ({ ...r, shard: source.index }));
    },
    auditHitKey,
    { limit: query.limit, cursor: query.cursor },
  );
}
