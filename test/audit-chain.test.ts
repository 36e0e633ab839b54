// The per-shard audit chain on SQLite and PostgreSQL: intact chains verify; an edited, deleted, reordered
// or truncated entry is caught; pruning behind a signed checkpoint still verifies and a forged checkpoint
// does not; search pages across shards newest first.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuditFacts, recordAudit } from "../lib/audit/audit-chain.ts";
import { pruneAuditLog } from "../lib/audit/prune-audit.ts";
import { type AuditHit, searchAudit } from "../lib/audit/search-audit.ts";
import { verifyAuditChain } from "../lib/audit/verify-chain.ts";
import type { Page } from "../lib/data/cross-shard-page.ts";
import type { ShardHandle } from "../lib/data/lab-databases.ts";
import { BACKENDS, type TestLab, createTestLab } from "./support/test-labs.ts";

const SECRET = "integration-test-secret-0123456789";
const base = Date.parse("2026-10-01T00:00:00.000Z");

function facts(i: number, overrides: Partial<AuditFacts> = {}): AuditFacts {
  return {
    occurredAt: new Date(base + i * 60_000),
    actorId: i % 2 ? "usr-clinician" : "usr-billing",
    actorRole: i % 2 ? "clinician" : "billing",
    action: "encounter.open",
    entityType: "Encounter",
    entityId: `enc-${i}`,
    patientId: `pat-${i}`,
    requestId: `req-${i}`,
    traceId: null,
    outcome: "success",
    details: { version: 1, index: i },
    ...overrides,
  };
}

async function writeEntries(shard: ShardHandle, from: number, count: number) {
  for (let i = from; i < from + count; i++) await shard.sql.transaction((tx) => recordAudit(tx, facts(i)));
}

describe.each(BACKENDS)("audit chain on %s", (backend) => {
  let t: TestLab;
  beforeAll(async () => {
    t = await createTestLab(backend, { shardCount: 3, secret: SECRET });
  });
  afterAll(async () => t?.dispose());

  /** A fresh shard's chain of `count` entries, for tests that tamper with it. */
  async function chain(index: number, count: number) {
    const shard = t.lab.shards[index]!;
    await shard.sql.executeScript(
      `DELETE FROM "audit_entries"; DELETE FROM "audit_checkpoints"; UPDATE "audit_chain_head" SET "sequence" = 0, "hash" = '${"0".repeat(64)}'`,
    );
    await writeEntries(shard, 0, count);
    return shard;
  }

  it("verifies an intact chain end to end and over a range", async () => {
    const shard = await chain(0, 30);
    expect(await verifyAuditChain(shard, SECRET)).toMatchObject({ ok: true, checked: 30, fromSequence: 1n, toSequence: 30n });
    expect(await verifyAuditChain(shard, SECRET, { from: 10n, to: 20n })).toMatchObject({ ok: true, checked: 11 });
  });

  it("catches an entry edited after it was written", async () => {
    const shard = await chain(0, 10);
    await shard.sql.execute(`UPDATE "audit_entries" SET "actorId" = 'usr-intruder' WHERE "sequence" = 4`);
    expect(await verifyAuditChain(shard, SECRET)).toMatchObject({ ok: false, problem: { kind: "hash-mismatch", sequence: 4n } });
  });

  it("catches an entry deleted from the middle", async () => {
    const shard = await chain(0, 10);
    await shard.sql.execute(`DELETE FROM "audit_entries" WHERE "sequence" = 6`);
    expect(await verifyAuditChain(shard, SECRET)).toMatchObject({ ok: false, problem: { kind: "gap", sequence: 6n } });
  });

  it("catches two entries swapped in place", async () => {
    const shard = await chain(0, 10);
    const rows = await shard.sql.query<Record<string, unknown>>(`SELECT * FROM "audit_entries" WHERE "sequence" IN (3, 4) ORDER BY "sequence"`);
    const columns = Object.keys(rows[0]!).filter((c) => c !== "sequence" && c !== "hash");
    for (const [target, source] of [
      [3, rows[1]!],
      [4, rows[0]!],
    ] as const) {
      await shard.sql.execute(`UPDATE "audit_entries" SET ${columns.map((c) => `"${c}" = ?`).join(", ")} WHERE "sequence" = ?`, [
        ...columns.map((c) => source[c]),
        target,
      ]);
    }
    const result = await verifyAuditChain(shard, SECRET);
    expect(result.ok).toBe(false);
    expect(result.problem?.sequence).toBe(3n);
  });

  it("catches entries cut off the end of the log", async () => {
    const shard = await chain(0, 10);
    await shard.sql.execute(`DELETE FROM "audit_entries" WHERE "sequence" >= 9`);
    expect(await verifyAuditChain(shard, SECRET)).toMatchObject({ ok: false, problem: { kind: "head-mismatch" } });
  });

  it("still verifies after pruning behind a signed checkpoint, and appends after it", async () => {
    const shard = await chain(1, 20);
    const report = await pruneAuditLog(shard, SECRET, {
      olderThan: new Date(base + 12 * 60_000),
      actorId: "usr-admin",
      actorRole: "admin",
      requestId: "req-prune",
      now: new Date(base + 3_600_000),
    });
    expect(report).toEqual({ shard: 1, pruned: 12, checkpointSequence: 12n });
    expect(await shard.prisma.auditEntry.count()).toBe(9); // 8 kept + the prune's own entry
    await writeEntries(shard, 100, 3);
    expect(await verifyAuditChain(shard, SECRET)).toMatchObject({ ok: true, checked: 12, fromSequence: 13n, toSequence: 24n });
    const prune = await shard.prisma.auditEntry.findUnique({ where: { sequence: 21n } });
    expect(prune).toMatchObject({ action: "audit.prune", actorId: "usr-admin" });
  });

  it("refuses a checkpoint whose signature does not match, and one signed with another secret", async () => {
    const shard = await chain(1, 20);
    await pruneAuditLog(shard, SECRET, { olderThan: new Date(base + 5 * 60_000), actorId: "usr-admin", actorRole: "admin", requestId: null });
    await shard.sql.execute(`UPDATE "audit_checkpoints" SET "pruned" = "pruned" + 1`);
    expect(await verifyAuditChain(shard, SECRET)).toMatchObject({ ok: false, problem: { kind: "bad-checkpoint" } });
    await shard.sql.execute(`UPDATE "audit_checkpoints" SET "pruned" = "pruned" - 1`);
    expect((await verifyAuditChain(shard, SECRET)).ok).toBe(true);
    expect(await verifyAuditChain(shard, "another-secret-0123456789")).toMatchObject({ ok: false, problem: { kind: "bad-checkpoint" } });
  });

  it("searches across shards by actor, request and time range, newest first, in pages", async () => {
    await chain(0, 0);
    await chain(1, 0);
    await chain(2, 0);
    await writeEntries(t.lab.shards[0]!, 0, 15);
    await writeEntries(t.lab.shards[1]!, 0, 15); // same instants on both shards: ties broken by shard
    await writeEntries(t.lab.shards[2]!, 15, 10);
    const all: AuditHit[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<AuditHit> = await searchAudit(t.lab, { actorId: "usr-clinician", limit: 4, cursor });
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(all).toHaveLength(7 + 7 + 5);
    expect(all.every((h) => h.actorId === "usr-clinician")).toBe(true);
    for (let i = 1; i < all.length; i++) expect(all[i - 1]!.occurredAt.getTime()).toBeGreaterThanOrEqual(all[i]!.occurredAt.getTime());
    expect(new Set(all.map((h) => `${h.shard}:${h.sequence}`)).size).toBe(all.length);

    const one = await searchAudit(t.lab, { requestId: "req-20", limit: 10 });
    expect(one.items.map((h) => h.shard)).toEqual([2]);
    const ranged = await searchAudit(t.lab, { from: new Date(base + 10 * 60_000), to: new Date(base + 12 * 60_000), limit: 50 });
    expect(ranged.items.map((h) => h.entityId).sort()).toEqual(["enc-10", "enc-10", "enc-11", "enc-11"]);
  });
});
