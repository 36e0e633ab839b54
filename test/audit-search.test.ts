// The portal's audit search on SQLite and PostgreSQL: the control database's log is one more source in the
// same newest-first order as the shards', pages neither lose nor repeat an entry; each entry carries its
// write's change masked for the reader's view; the CSV export pages through the filter up to its cap; the
// chain status verifies each log's newest entries and says when.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuditFacts, recordAudit } from "../lib/audit/audit-chain.ts";
import { auditCsv } from "../lib/audit/audit-csv.ts";
import { parseAuditFilter } from "../lib/audit/audit-filter.ts";
import { CONTROL_LOG } from "../lib/audit/audit-logs.ts";
import { createChainStatusCache } from "../lib/audit/chain-status.ts";
import { recordOnTimeline } from "../lib/audit/control-timeline.ts";
import { readAuditPage } from "../lib/audit/read-audit-page.ts";
import { type AuditHit, searchAudit } from "../lib/audit/search-audit.ts";
import { registerPatient } from "../lib/clinical/patient-commands.ts";
import { type Page, encodeCursor } from "../lib/data/cross-shard-page.ts";
import type { SqlDatabase } from "../lib/data/sql-database.ts";
import { MASKED_PATIENT, commandContext, patientRegistration } from "./support/clinical-writes.ts";
import { BACKENDS, type TestLab, createTestLab } from "./support/test-labs.ts";

const SECRET = "integration-test-secret-0123456789";
const base = Date.parse("2026-10-01T00:00:00.000Z");

const facts = (ms: number, overrides: Partial<AuditFacts> = {}): AuditFacts => ({
  occurredAt: new Date(base + ms),
  actorId: "usr-sre",
  actorRole: "sre",
  action: "drill.launch",
  entityType: "DrillRun",
  entityId: `run-${ms}`,
  patientId: null,
  requestId: `req-${ms}`,
  traceId: null,
  outcome: "success",
  details: {},
  ...overrides,
});

const emptyLog = (db: SqlDatabase) =>
  db.executeScript(`DELETE FROM "audit_entries"; DELETE FROM "audit_checkpoints"; UPDATE "audit_chain_head" SET "sequence" = 0, "hash" = '${"0".repeat(64)}'`);

async function readAll(t: TestLab, query: Parameters<typeof searchAudit>[1]): Promise<AuditHit[]> {
  const seen: AuditHit[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<AuditHit> = await searchAudit(t.lab, { ...query, cursor });
    expect(page.items.length).toBeLessThanOrEqual(query.limit);
    seen.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return seen;
}

const tag = (h: AuditHit) => (h.shard === CONTROL_LOG ? 1000 : h.shard);

describe.each(BACKENDS)("audit search on %s", (backend) => {
  let t: TestLab;
  const logs = () => [...t.lab.shards.map((s) => ({ index: s.index, sql: s.sql })), { index: CONTROL_LOG, sql: t.lab.control.sql }];
  beforeAll(async () => {
    t = await createTestLab(backend, { shardCount: 3, secret: SECRET });
  });
  afterAll(async () => t?.dispose());

  it("pages through every shard and the control log newest first, losing and repeating nothing, for any spread and page size", async () => {
    const entry = fc.record({ ms: fc.integer({ min: 0, max: 6 }), log: fc.constantFrom(CONTROL_LOG, 0, 1, 2) });
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { maxLength: 40 }), fc.integer({ min: 1, max: 9 }), async (entries, limit) => {
        for (const log of logs()) {
          await emptyLog(log.sql);
          const mine = entries.filter((e) => e.log === log.index);
          if (mine.length)
            await log.sql.transaction(async (tx) => {
              for (const e of mine) await recordAudit(tx, facts(e.ms));
            });
        }
        const seen = await readAll(t, { limit });
        expect(seen).toHaveLength(entries.length);
        const order = (a: AuditHit, b: AuditHit) => b.occurredAt.getTime() - a.occurredAt.getTime() || tag(a) - tag(b) || Number(a.sequence - b.sequence);
        expect(seen.map((h) => `${h.shard}:${h.sequence}`)).toEqual([...seen].sort(order).map((h) => `${h.shard}:${h.sequence}`));
        expect(new Set(seen.map((h) => `${h.shard}:${h.sequence}`)).size).toBe(entries.length);
      }),
      { numRuns: backend === "sqlite" ? 40 : 15 },
    );
  });

  it("finds an operator's action in the control log by its request id, alone or beside the shards' entries of that request, and by source", async () => {
    for (const log of logs()) await emptyLog(log.sql);
    await recordOnTimeline(t.lab.control.sql, facts(5_000, { requestId: "req-drill-1", action: "drill.launch", entityId: "run-1" }), {
      endAt: null,
      kind: "drill",
      title: "latency drill on clinical",
      body: "{}",
      tags: "[]",
      drillRunId: "run-1",
    });
    await t.lab.shards[1]!.sql.transaction((tx) =>
      recordAudit(tx, facts(4_000, { requestId: "req-drill-1", actorId: "usr-clinician", action: "encounter.open" })),
    );
    await t.lab.shards[2]!.sql.transaction((tx) => recordAudit(tx, facts(6_000, { requestId: "req-other" })));

    const both = await searchAudit(t.lab, { requestId: "req-drill-1", limit: 10 });
    expect(both.items.map((h) => [h.shard, h.action])).toEqual([
      [CONTROL_LOG, "drill.launch"],
      [1, "encounter.open"],
    ]);
    expect((await searchAudit(t.lab, { requestId: "req-drill-1", shards: [CONTROL_LOG], limit: 10 })).items.map((h) => h.shard)).toEqual([CONTROL_LOG]);
    expect((await searchAudit(t.lab, { actorId: "usr-sre", shards: [2], limit: 10 })).items.map((h) => h.requestId)).toEqual(["req-other"]);
    expect(
      (
        await searchAudit(t.lab, {
          action: "drill.launch",
          entityType: "DrillRun",
          entityId: "run-1",
          from: new Date(base + 5_000),
          to: new Date(base + 5_001),
          limit: 10,
        })
      ).items,
    ).toHaveLength(1);
  });

  it("continues from a cursor a shard-only search issued, and refuses a forged one with a 400 naming the cursor", async () => {
    for (const log of logs()) await emptyLog(log.sql);
    for (const [i, log] of [0, 1, CONTROL_LOG].entries()) {
      const db = logs().find((l) => l.index === log)!.sql;
      await db.transaction(async (tx) => {
        for (const ms of [1_000, 2_000]) await recordAudit(tx, facts(ms, { entityId: `e-${i}-${ms}` }));
      });
    }
    // What the search answered before the control log was a source: shard 0's entry at 2 s was the last of a page.
    const old = encodeCursor({ sort: -(base + 2_000), id: "000:000000000000002" });
    const rest = await searchAudit(t.lab, { limit: 10, cursor: old });
    expect(rest.items.map((h) => h.entityId)).toEqual(["e-1-2000", "e-2-2000", "e-0-1000", "e-1-1000", "e-2-1000"]);
    for (const forged of [encodeCursor({ sort: "x", id: "000:000000000000002" }), encodeCursor({ sort: -1, id: "pat-1" }), "bm90IGEgY3Vyc29y"]) {
      await expect(searchAudit(t.lab, { limit: 10, cursor: forged })).rejects.toMatchObject({ status: 400, field: "cursor" });
    }
  });

  it("shows a write's change with the patient's synthetic PHI masked for an SRE, on a page and in the CSV export", async () => {
    const reply = await registerPatient(t.lab, commandContext("req-register-zelda"), patientRegistration("ZQ-1", MASKED_PATIENT));
    const filter = parseAuditFilter(new URLSearchParams("requestId=req-register-zelda"), { shardCount: 3 });
    const page = await readAuditPage(t.lab, filter, { view: "masked" });
    expect(page.rows).toHaveLength(1);
    const row = page.rows[0]!;
    expect(row).toMatchObject({
      action: "patient.register",
      entityId: reply.body.id,
      operation: "create",
      source: `shard ${t.lab.shardForPatient(reply.body.id).index}`,
    });
    expect(row.changes.find((c) => c.field === "givenName")).toEqual({ field: "givenName", before: null, after: "[redacted]" });
    expect(row.changes.find((c) => c.field === "facilityId")).toEqual({ field: "facilityId", before: null, after: "fac-0001" });
    const full = await readAuditPage(t.lab, filter, { view: "full" });
    expect(full.rows[0]!.changes.find((c) => c.field === "givenName")?.after).toBe("Zelda");

    let csv = "";
    for await (const chunk of auditCsv(t.lab, filter, { view: "masked" })) csv += chunk;
    expect(csv).toContain("req-register-zelda");
    expect(csv).toContain("[redacted]");
    expect(csv).not.toMatch(/Zelda|Quartermain|Hidden Lane|Riverton|1981-02-03/);
  });

  it("exports every page of a filter up to the cap, and says so in a last line when the cap cuts it short", async () => {
    for (const log of logs()) await emptyLog(log.sql);
    for (const log of logs())
      await log.sql.transaction(async (tx) => {
        for (let i = 0; i < 4; i++) await recordAudit(tx, facts(i * 10 + log.index));
      });
    const filter = parseAuditFilter(new URLSearchParams("actorId=usr-sre"), { shardCount: 3 });
    const lines = async (maxRows: number) => {
      let text = "";
      for await (const chunk of auditCsv(t.lab, filter, { view: "masked" }, { maxRows, pageSize: 3 })) text += chunk;
      return text.split("\r\n").slice(0, -1);
    };
    const all = await lines(100);
    expect(all).toHaveLength(1 + 16);
    expect(all[1]!.startsWith(new Date(base + 32).toISOString())).toBe(true); // newest first: shard 2's entry at 32 ms
    expect(all.at(-1)).not.toMatch(/^"?#/);
    const capped = await lines(10);
    expect(capped).toHaveLength(1 + 10 + 1);
    expect(capped.at(-1)).toMatch(/^"# export stopped at 10 rows \(the cap\)/);
    expect(await lines(16)).toHaveLength(1 + 16); // exactly full: nothing was cut
  });

  it("verifies each log's newest entries, reuses the result within its time, and then catches a tampered entry", async () => {
    for (const log of logs()) await emptyLog(log.sql);
    await t.lab.shards[0]!.sql.transaction(async (tx) => {
      for (let i = 0; i < 12; i++) await recordAudit(tx, facts(i));
    });
    await t.lab.control.sql.transaction(async (tx) => {
      for (let i = 0; i < 3; i++) await recordAudit(tx, facts(i));
    });
    let now = base;
    const cache = createChainStatusCache({ newest: 5, ttlMs: 60_000, clock: () => now });
    const first = await cache.statusOf(t.lab);
    expect(first.map((s) => [s.log, s.verification?.ok, s.verification?.checked, s.bounded])).toEqual([
      ["shard 0", true, 5, true],
      ["shard 1", true, 0, false],
      ["shard 2", true, 0, false],
      ["control", true, 3, false],
    ]);
    expect(first[0]).toMatchObject({ verification: { fromSequence: 8n, toSequence: 12n }, checkedAt: new Date(base), error: null });

    await t.lab.shards[0]!.sql.execute(`UPDATE "audit_entries" SET "actorId" = 'usr-intruder' WHERE "sequence" = 11`);
    now += 30_000;
    expect(await cache.statusOf(t.lab)).toBe(first);
    now += 30_000;
    const later = await cache.statusOf(t.lab);
    expect(later[0]).toMatchObject({ verification: { ok: false, problem: { kind: "hash-mismatch", sequence: 11n } }, checkedAt: new Date(base + 60_000) });
  });
});
