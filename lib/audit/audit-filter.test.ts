import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CONTROL_LOG } from "./audit-logs.ts";
import { auditFilterParams, auditQueryOf, isFiltered, parseAuditFilter } from "./audit-filter.ts";

const parse = (query: string) => parseAuditFilter(new URLSearchParams(query), { shardCount: 4 });

describe("audit filter", () => {
  it("reads a form's query: empty fields mean any, zone-less times are UTC, the page size defaults to 50", () => {
    const filter = parse("requestId=req-20&actorId=&from=2026-11-24T09%3A30&to=2026-11-25&source=control");
    expect(filter).toEqual({
      requestId: "req-20",
      from: new Date("2026-11-24T09:30:00.000Z"),
      to: new Date("2026-11-25T00:00:00.000Z"),
      source: "control",
      limit: 50,
    });
    expect(auditQueryOf(filter).shards).toEqual([CONTROL_LOG]);
    expect(auditQueryOf(parse("source=shard-3")).shards).toEqual([3]);
    expect(auditQueryOf(parse("")).shards).toBeUndefined();
    expect(isFiltered(parse("limit=10"))).toBe(false);
  });

  it("refuses bad input with a 400 naming the field", () => {
    const cases: [string, string][] = [
      ["limit=0", "limit"],
      ["limit=501", "limit"],
      ["limit=ten", "limit"],
      ["from=yesterday", "from"],
      ["to=2026-02-30T10:00", "to"],
      ["from=2026-11-25&to=2026-11-24", "to"],
      ["source=shard-4", "source"],
      ["source=shard-x", "source"],
      ["requestId=has%20space", "requestId"],
      ["patient=pat-1", "patient"],
      ["action=a&action=b", "action"],
    ];
    for (const [query, field] of cases) expect(() => parse(query), query).toThrow(expect.objectContaining({ status: 400, field }));
  });

  it("writes a filter back to a query string that reads as the same filter", () => {
    const id = fc.stringMatching(/^[\x21-\x7e]{1,20}$/);
    const instant = fc.integer({ min: Date.parse("2020-01-01"), max: Date.parse("2030-01-01") }).map((ms) => new Date(ms));
    fc.assert(
      fc.property(
        fc.record(
          {
            requestId: id,
            actorId: id,
            action: id,
            entityType: id,
            entityId: id,
            from: instant,
            source: fc.constantFrom("control", "shard-0", "shard-3"),
            limit: fc.integer({ min: 1, max: 500 }),
            cursor: fc.base64String({ minLength: 4, maxLength: 40 }),
          },
          { requiredKeys: ["limit"] },
        ),
        (filter) => {
          expect(parseAuditFilter(auditFilterParams(filter), { shardCount: 4 })).toEqual(filter);
        },
      ),
    );
  });

  it("drops the cursor and page size from an export link, and replaces the cursor for the next page", () => {
    const filter = parse("requestId=req-1&limit=100&cursor=abc");
    expect(auditFilterParams(filter, { cursor: null, limit: null }).toString()).toBe("requestId=req-1");
    expect(auditFilterParams(filter, { cursor: "def" }).toString()).toBe("requestId=req-1&limit=100&cursor=def");
  });
});
