// The audit chains' status for the portal: each log's newest entries verified (the whole chain is
// npm run audit:verify's job; a page cannot wait for millions of hashes), remembered for a while so a page
// load does not re-hash, and shared by concurrent loads. Each status says when it was checked.
import type { LabDatabases } from "../data/lab-databases.ts";
import { type AuditLog, controlAuditLog } from "./audit-logs.ts";
import { type ChainVerification, verifyAuditChain } from "./verify-chain.ts";

export interface ChainStatus {
  /** "control" or "shard N". */
  log: string;
  verification: ChainVerification | null;
  /** The newest `newest` entries were checked, not the whole chain. */
  bounded: boolean;
  /** Why the log could not be verified (its database did not answer). */
  error: string | null;
  checkedAt: Date;
}

export interface ChainStatusOptions {
  /** How many of each log's newest entries to verify. */
  newest?: number;
  /** How long a status is reused before the log is verified again. */
  ttlMs?: number;
  clock?: () => number;
}

const logLabel = (log: AuditLog) => (log.label === "control" ? "control" : `shard ${log.index}`);

/** Shards are read on their reader connection: a page must not see another request's open transaction. */
function logsOf(lab: LabDatabases): AuditLog[] {
  return [...lab.shards.map((s) => ({ index: s.index, label: s.label, sql: s.readSql, prisma: s.reader })), controlAuditLog(lab)];
}

export async function verifyNewest(log: AuditLog, secret: string, newest: number, now: Date): Promise<ChainStatus> {
  try {
    const head = await log.prisma.auditChainHead.findUnique({ where: { id: 1 } });
    const headSequence = head?.sequence ?? 0n;
    const from = headSequence - BigInt(newest) + 1n;
    const verification = await verifyAuditChain(log, secret, from > 1n ? { from } : {});
    return { log: logLabel(log), verification, bounded: from > 1n, error: null, checkedAt: now };
  } catch (err) {
    return { log: logLabel(log), verification: null, bounded: false, error: err instanceof Error ? err.message : String(err), checkedAt: now };
  }
}

export interface ChainStatusCache {
  statusOf(lab: LabDatabases): Promise<ChainStatus[]>;
}

export function createChainStatusCache(options: ChainStatusOptions = {}): ChainStatusCache {
  const newest = options.newest ?? 2_000;
  const ttlMs = options.ttlMs ?? 60_000;
  const clock = options.clock ?? Date.now;
  let kept: { lab: LabDatabases; at: number; statuses: Promise<ChainStatus[]> } | null = null;
  return {
    statusOf(lab) {
      const now = clock();
      if (kept && kept.lab === lab && now - kept.at < ttlMs) return kept.statuses;
      const statuses = Promise.all(logsOf(lab).map((log) => verifyNewest(log, lab.config.privacySecret, newest, new Date(now))));
      const entry = { lab, at: now, statuses };
      kept = entry;
      // A log that could not be read is tried again on the next load, not an hour later.
      void statuses.then((all) => {
        if (all.some((s) => s.error !== null) && kept === entry) kept = null;
      });
      return statuses;
    },
  };
}
