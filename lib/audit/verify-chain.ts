// Verifies a shard's audit chain over a range of sequences: contiguous sequences, each entry linked to the
// hash before it, each hash recomputed from the entry, the first entry anchored on the genesis hash or on a
// validly signed pruning checkpoint, and (when the range runs to the end) the head matching the last entry,
// so a truncated tail is caught too.
import type { AuditLog } from "./audit-logs.ts";
import { GENESIS_HASH, type AuditRecord, entryHash } from "./audit-chain.ts";
import { checkpointSignatureValid } from "./checkpoint-signature.ts";

export type ChainProblem = "hash-mismatch" | "broken-link" | "gap" | "bad-checkpoint" | "head-mismatch";

export interface ChainVerification {
  shard: number;
  ok: boolean;
  checked: number;
  fromSequence: bigint | null;
  toSequence: bigint | null;
  problem?: { kind: ChainProblem; sequence: bigint; detail: string };
}

const BATCH = 2000;

export async function verifyAuditChain(shard: AuditLog, secret: string, range: { from?: bigint; to?: bigint } = {}): Promise<ChainVerification> {
  const db = shard.prisma;
  const result: ChainVerification = { shard: shard.index, ok: true, checked: 0, fromSequence: null, toSequence: null };
  const fail = (kind: ChainProblem, sequence: bigint, detail: string) => ({ ...result, ok: false, problem: { kind, sequence, detail } });

  const checkpoint = await db.auditCheckpoint.findFirst({ orderBy: { sequence: "desc" } });
  if (checkpoint && !checkpointSignatureValid(secret, shard.index, checkpoint.sequence, checkpoint.hash, checkpoint.pruned, checkpoint.signature)) {
    return fail("bad-checkpoint", checkpoint.sequence, "the pruning checkpoint's signature does not match its contents");
  }
  // The head is read first and the scan stops there: entries appended while verifying are not "extra".
  const headAtStart = range.to ? null : await db.auditChainHead.findUniqueOrThrow({ where: { id: 1 } });
  const upTo = range.to ?? headAtStart!.sequence;
  const floor = checkpoint ? checkpoint.sequence + 1n : 1n;
  const from = range.from && range.from > floor ? range.from : floor;

  // The hash the first checked entry must link to: the previous entry's, the checkpoint's, or genesis.
  let expectedPrev: string;
  if (from > floor) {
    const before = await db.auditEntry.findUnique({ where: { sequence: from - 1n } });
    if (!before) return fail("gap", from - 1n, `entry ${from - 1n} is missing`);
    expectedPrev = before.hash;
  } else {
    expectedPrev = checkpoint ? checkpoint.hash : GENESIS_HASH;
  }

  let next = from;
  let last: AuditRecord | null = null;
  for (;;) {
    const batch = (await db.auditEntry.findMany({
      where: { sequence: { gte: next, lte: upTo } },
      orderBy: { sequence: "asc" },
      take: BATCH,
    })) as AuditRecord[];
    for (const entry of batch) {
      if (entry.sequence !== next) return fail("gap", next, `entry ${next} is missing (next present is ${entry.sequence})`);
      if (entry.prevHash !== expectedPrev)
        return fail("broken-link", entry.sequence, `entry ${entry.sequence} does not link to the hash of entry ${entry.sequence - 1n}`);
      const { prevHash, hash, ...fields } = entry;
      if (entryHash(prevHash, fields) !== hash) return fail("hash-mismatch", entry.sequence, `entry ${entry.sequence} was changed after it was written`);
      result.checked++;
      result.fromSequence ??= entry.sequence;
      result.toSequence = entry.sequence;
      expectedPrev = hash;
      next = entry.sequence + 1n;
      last = entry;
    }
    if (batch.length < BATCH) break;
  }

  if (headAtStart) {
    const lastSequence = last?.sequence ?? from - 1n;
    if (headAtStart.sequence !== lastSequence || headAtStart.hash !== expectedPrev) {
      return fail("head-mismatch", headAtStart.sequence, `the chain head is at ${headAtStart.sequence} but the log ends at ${lastSequence}`);
    }
  }
  return result;
}
