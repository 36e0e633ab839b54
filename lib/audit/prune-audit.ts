// Retention: removes entries older than a cutoff behind a signed checkpoint that records where the chain
// stood, so verification of what remains still anchors (FR-07.3, NFR-23). The pruning itself is audited:
// it appends an "audit.prune" entry that links to the last pruned entry's hash.
import type { AuditLog } from "./audit-logs.ts";
import { appendAuditEntry, claimChainHead } from "./audit-chain.ts";
import { signCheckpoint } from "./checkpoint-signature.ts";

export interface PruneReport {
  shard: number;
  pruned: number;
  checkpointSequence: bigint | null;
}

export async function pruneAuditLog(
  shard: AuditLog,
  secret: string,
  request: { olderThan: Date; actorId: string; actorRole: string; requestId: string | null; now?: Date },
): Promise<PruneReport> {
  const now = request.now ?? new Date();
  return shard.sql.transaction(async (tx) => {
    const claimed = await claimChainHead(tx); // serializes pruning with writers on this shard
    const [last] = await tx.query<{ sequence: number | bigint; hash: string }>(
      `SELECT "sequence", "hash" FROM "audit_entries" WHERE "occurredAt" < ? AND "sequence" < ? ORDER BY "sequence" DESC LIMIT 1`,
      [request.olderThan, claimed.sequence],
    );
    if (!last) {
      await tx.execute(`UPDATE "audit_chain_head" SET "sequence" = ? WHERE "id" = 1`, [claimed.sequence - 1n]); // nothing to do: give the sequence back
      return { shard: shard.index, pruned: 0, checkpointSequence: null };
    }
    const lastSequence = BigInt(last.sequence);
    const [previous] = await tx.query<{ pruned: number }>(`SELECT "pruned" FROM "audit_checkpoints" ORDER BY "sequence" DESC LIMIT 1`);
    const count = await tx.execute(`DELETE FROM "audit_entries" WHERE "sequence" <= ?`, [lastSequence]);
    const prunedTotal = count + (previous?.pruned ?? 0);
    const signature = signCheckpoint(secret, shard.index, lastSequence, last.hash, prunedTotal);
    await tx.insertMany(
      "audit_checkpoints",
      ["sequence", "hash", "pruned", "createdAt", "signature"],
      [[lastSequence, last.hash, prunedTotal, now, signature]],
    );
    // The newest checkpoint anchors everything that remains; older ones are superseded.
    await tx.execute(`DELETE FROM "audit_checkpoints" WHERE "sequence" < ?`, [lastSequence]);
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
      details: { pruned: count, throughSequence: lastSequence, olderThan: request.olderThan },
    });
    return { shard: shard.index, pruned: count, checkpointSequence: lastSequence };
  });
}
