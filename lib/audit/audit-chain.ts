// The per-shard, append-only audit log (FR-07.1). Each entry carries the hash of the one before it:
//   hash = SHA-256(prevHash + "\n" + canonical JSON of the entry's fields)
// so editing, deleting or reordering any entry breaks the chain from that point on. The head row holds the
// latest sequence and hash; updating it first in every write transaction serializes appends per shard.
import { createHash } from "node:crypto";
import type { SqlDatabase } from "../data/sql-database.ts";
import { tableOf } from "../data/tables.ts";
import { canonicalJson } from "./canonical-json.ts";

export const GENESIS_HASH = "0".repeat(64);

export interface AuditFacts {
  occurredAt: Date;
  actorId: string;
  actorRole: string;
  action: string;
  entityType: string;
  entityId: string;
  patientId: string | null;
  requestId: string | null;
  traceId: string | null;
  outcome: "success" | "denied" | "failed";
  /** Operational detail only; never PHI (the caller passes ids, versions, counts). */
  details: Record<string, unknown>;
}

export interface AuditRecord extends Omit<AuditFacts, "details"> {
  sequence: bigint;
  details: string;
  prevHash: string;
  hash: string;
}

export function entryHash(prevHash: string, entry: Omit<AuditRecord, "prevHash" | "hash">): string {
  const body = canonicalJson({
    sequence: entry.sequence,
    occurredAt: entry.occurredAt,
    actorId: entry.actorId,
    actorRole: entry.actorRole,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    patientId: entry.patientId,
    requestId: entry.requestId,
    traceId: entry.traceId,
    outcome: entry.outcome,
    details: entry.details,
  });
  return createHash("sha256").update(`${prevHash}\n${body}`).digest("hex");
}

/**
 * Claims the next sequence of the shard's chain. Call it first in a write transaction: the update takes the
 * shard's write lock (SQLite) or the head row's lock (PostgreSQL) before anything is read.
 */
export async function claimChainHead(tx: SqlDatabase): Promise<{ sequence: bigint; prevHash: string }> {
  await tx.execute(`UPDATE "audit_chain_head" SET "sequence" = "sequence" + 1 WHERE "id" = 1`);
  const [head] = await tx.query<{ sequence: number | bigint; hash: string }>(`SELECT "sequence", "hash" FROM "audit_chain_head" WHERE "id" = 1`);
  if (!head) throw new Error(`the audit chain head of ${tx.label} is missing`);
  return { sequence: BigInt(head.sequence), prevHash: head.hash };
}

/** Appends one entry at a claimed position and moves the head to it. */
export async function appendAuditEntry(tx: SqlDatabase, claimed: { sequence: bigint; prevHash: string }, facts: AuditFacts): Promise<AuditRecord> {
  const entry = { ...facts, sequence: claimed.sequence, details: canonicalJson(facts.details) };
  const record: AuditRecord = { ...entry, prevHash: claimed.prevHash, hash: entryHash(claimed.prevHash, entry) };
  const spec = tableOf("AuditEntry");
  await tx.insertMany(spec.table, spec.columns, [spec.columns.map((c) => record[c as keyof AuditRecord])]);
  await tx.execute(`UPDATE "audit_chain_head" SET "hash" = ? WHERE "id" = 1`, [record.hash]);
  return record;
}

/** Claims the head and appends in one step, for transactions that write a single entry. */
export async function recordAudit(tx: SqlDatabase, facts: AuditFacts): Promise<AuditRecord> {
  return appendAuditEntry(tx, await claimChainHead(tx), facts);
}
