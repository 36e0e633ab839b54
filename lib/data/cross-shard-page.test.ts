import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Page, type PageKey, afterKeyWhere, compareKeys, decodeCursor, encodeCursor, scatterPage } from "./cross-shard-page.ts";

type Item = PageKey & { shard: number };

/** An in-memory "shard" that answers like the repositories do: sorted, strictly after the cursor. */
const fetchFrom = async (rows: Item[], after: PageKey | null, take: number) =>
  rows
    .filter((r) => !after || compareKeys(r, after) > 0)
    .sort(compareKeys)
    .slice(0, take);

async function readAll(shards: Item[][], limit: number) {
  const seen: Item[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 10_000; guard++) {
    const page: Page<Item> = await scatterPage(shards, fetchFrom, (i) => i, { limit, cursor });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    seen.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return seen;
}

describe("cross-shard pages", () => {
  it("returns every row exactly once, in global order, for any spread of rows and any page size", async () => {
    const row = fc.record({ sort: fc.integer({ min: 0, max: 20 }), id: fc.string({ minLength: 1, maxLength: 6 }), shard: fc.integer({ min: 0, max: 3 }) });
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(row, { selector: (r) => r.id, maxLength: 120 }), fc.integer({ min: 1, max: 25 }), async (rows, limit) => {
        const shards = [0, 1, 2, 3].map((s) => rows.filter((r) => r.shard === s));
        const seen = await readAll(shards, limit);
        expect(seen).toEqual([...rows].sort(compareKeys));
      }),
      { numRuns: 200 },
    );
  });

  it("breaks ties on the sort key by id, so equal timestamps on different shards are neither lost nor repeated", async () => {
    const shards: Item[][] = [
      [
        { sort: 5, id: "b", shard: 0 },
        { sort: 5, id: "d", shard: 0 },
      ],
      [
        { sort: 5, id: "a", shard: 1 },
        { sort: 5, id: "c", shard: 1 },
      ],
    ];
    const seen = await readAll(shards, 1);
    expect(seen.map((i) => i.id)).toEqual(["a", "b", "c", "d"]);
  });

  it("says there is no next page when the last page is exactly full", async () => {
    const shards: Item[][] = [[{ sort: 1, id: "x", shard: 0 }], [{ sort: 2, id: "y", shard: 1 }]];
    const page = await scatterPage(shards, fetchFrom, (i) => i, { limit: 2 });
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).toBeNull();
  });

  it("round-trips cursors and rejects forged ones with a 400 naming the cursor field", () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.string()), fc.string(), (sort, id) => {
        expect(decodeCursor(encodeCursor({ sort, id }))).toEqual({ sort, id });
      }),
    );
    for (const bad of ["", "!!!", Buffer.from("[1]").toString("base64url"), Buffer.from('{"a":1}').toString("base64url")]) {
      expect(() => decodeCursor(bad)).toThrow(expect.objectContaining({ status: 400, field: "cursor" }));
    }
  });

  it("rejects a cursor from a list sorted by something else with a 400, not a database error", () => {
    expect(() => afterKeyWhere("startedAt", { sort: "", id: "pat-1" }, true)).toThrow(expect.objectContaining({ status: 400, field: "cursor" }));
    expect(() => afterKeyWhere("startedAt", { sort: 1e20, id: "x" }, true)).toThrow(expect.objectContaining({ status: 400 }));
    expect(afterKeyWhere("startedAt", { sort: 0, id: "x" }, true)).toEqual({
      OR: [{ startedAt: { gt: new Date(0) } }, { startedAt: new Date(0), id: { gt: "x" } }],
    });
  });

  it("rejects a page size outside 1..500 with a 400 naming limit", async () => {
    for (const limit of [0, -1, 501, 1.5]) {
      await expect(scatterPage([[]], fetchFrom, (i: Item) => i, { limit })).rejects.toMatchObject({ status: 400, field: "limit" });
    }
  });
});
