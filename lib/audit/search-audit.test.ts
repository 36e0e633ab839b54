import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareKeys } from "../data/cross-shard-page.ts";
import { CONTROL_LOG } from "./audit-logs.ts";
import { type AuditHit, auditHitKey, auditSourceLabel } from "./search-audit.ts";

const at = (ms: number, shard: number, sequence: bigint) => ({ occurredAt: new Date(ms), shard, sequence }) as AuditHit;

describe("audit search keys", () => {
  it("orders entries newest first, then by log (shards in order, the control log last), then by sequence", () => {
    const hits = [at(1000, CONTROL_LOG, 1n), at(2000, 3, 9n), at(1000, 0, 5n), at(1000, 0, 2n), at(1000, 12, 1n), at(3000, CONTROL_LOG, 7n)];
    const sorted = [...hits].sort((a, b) => compareKeys(auditHitKey(a), auditHitKey(b)));
    expect(sorted.map((h) => `${auditSourceLabel(h.shard)}#${h.sequence}`)).toEqual([
      "control#7",
      "shard 3#9",
      "shard 0#2",
      "shard 0#5",
      "shard 12#1",
      "control#1",
    ]);
  });

  it("gives every entry of every log its own key, in the same order as its fields", () => {
    const entry = fc.record({
      ms: fc.integer({ min: 0, max: 50 }),
      shard: fc.constantFrom(CONTROL_LOG, 0, 1, 2, 15),
      sequence: fc.bigInt({ min: 1n, max: 10n ** 15n - 1n }),
    });
    fc.assert(
      fc.property(entry, entry, (a, b) => {
        const [ka, kb] = [auditHitKey(at(a.ms, a.shard, a.sequence)), auditHitKey(at(b.ms, b.shard, b.sequence))];
        const rank = (s: number) => (s === CONTROL_LOG ? 1000 : s);
        const expected = b.ms - a.ms || rank(a.shard) - rank(b.shard) || Number(a.sequence - b.sequence);
        expect(Math.sign(compareKeys(ka, kb))).toBe(Math.sign(expected));
      }),
    );
  });

  it("keeps the shard key format of cursors issued before the control log was searched", () => {
    expect(auditHitKey(at(5, 2, 17n))).toEqual({ sort: -5, id: "002:000000000000017" });
    expect(auditHitKey(at(5, CONTROL_LOG, 17n))).toEqual({ sort: -5, id: "ctl:000000000000017" });
  });
});
