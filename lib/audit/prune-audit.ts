// Retention: removes entries older than a cutoff behind a signed checkpoint that records where the chain
// stood, so verification of what remains still anchors (FR-07.3, NFR-23). The pruning itself is audited:
// it appends an "audit.prune" entry that links to the last pruned entry's hash.
import type { ShardHandle } from "../data/lab-databases.ts";
import { appendAuditEntry, claimChainHead } from "./audit-chain.ts";
import { signCheckpoint } from "./checkpoint-signature.ts";

export interface PruneReport {
  shard: number;
  pruned: number;
  checkpointSequence: bigint | null;
}

export async function pruneAuditLog(
  shard: ShardHandle,
  secret: string,
  request: { olderThan: Date; actorId: string; actorRole: string; requestId: string | null; now?: Date },
): Promise<PruneReport> {
  const now = request.now ?? new Date();
  return shard.prisma.$transaction(async (tx) => {
    const claimed = await claimChainHead(tx); // serializes pruning with writers on this shard
    const last = await tx.auditEntry.findFirst({ where: { occurredAt: { lt: request.olderThan }, sequence: { lt: claimed.sequence } }, orderBy: { sequence: "desc" } });
    if (!last) {
      await tx.auditChainHead.update({ where: { id: 1 }, data: { sequence: claimed.sequence - 1n } }); // nothing to do: give the sequence back
      return { shard: shard.index, pruned: 0, checkpointSequence: null };
    }
    const previous = await tx.auditCheckpoint.findFirst({ orderBy: { sequence: "desc" } });
    const { count } = await tx.auditEntry.deleteMany({ where: { sequence: { lte: last.sequence } } });
    const prunedTotal = count + (previous?.pruned ?? 0);
    await tx.auditCheckpoint.create({
      data: { sequence: last.sequence, hash: last.hash, pruned: prunedTotal, createdAt: now, signature: signCheckpoint(secret, shard.index, last.sequence, last.hash, prunedTotal) },
    });
    // The newest checkpoint anchors everything that remains; older ones are superseded.
    await tx.auditCheckpoint.deleteMany({ where: { sequence: { lt: last.sequence } } });
    await appendAuditEntry(tx, claimed, {
      occurredAt: now,
      actorId: request.actorId,
      actorRole: request.actorRole,
      action: "audit.prune",
      entityType: "AuditLog",
      entityId: `shard-${shard.index}`,
      patientId: null,
      requestId: request.requestId,
      traceId: null,
      outcome: "success",
      details: { pruned: count, throughSequence: last.sequence, olderThan: request.olderThan },
    });
    return { shard: shard.index, pruned: count, checkpointSequence: last.sequence };
  });
}
