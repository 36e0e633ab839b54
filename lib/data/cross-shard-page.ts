// Scatter-gather keyset pagination across shards. Every shard returns its first `limit + 1` rows after the
// cursor in (sort key, id) order; the merge of those holds the global first `limit + 1`, so a page is exact
// and the next cursor is simply the last row's key. Ties on the sort key are broken by id, and all shards
// compare strings by byte (SQLite BINARY, PostgreSQL databases created with C collation).
import { LabError } from "../errors/index.ts";

export type SortValue = number | string;

export interface PageKey {
  sort: SortValue;
  id: string;
}

export interface PageRequest {
  limit: number;
  cursor?: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const MAX_PAGE_SIZE = 500;

export function encodeCursor(key: PageKey): string {
  return Buffer.from(JSON.stringify([key.sort, key.id])).toString("base64url");
}

export function decodeCursor(cursor: string): PageKey {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 2 && (typeof value[0] === "number" || typeof value[0] === "string") && typeof value[1] === "string") {
      return { sort: value[0], id: value[1] };
    }
  } catch {
    // falls through to the error below
  }
  throw new LabError("invalid", "cursor is not one this API issued; start again without it", { field: "cursor" });
}

export function compareKeys(a: PageKey, b: PageKey): number {
  if (a.sort !== b.sort) return a.sort < b.sort ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new LabError("invalid", `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`, { field: "limit" });
  }
  return limit;
}

/**
 * Fetches one page across sources (shards). `fetch` gets the cursor key (or null) and how many rows to
 * return, and must return them sorted by `keyOf` ascending, all strictly after the cursor.
 */
export async function scatterPage<S, T>(
  sources: readonly S[],
  fetch: (source: S, after: PageKey | null, take: number) => Promise<T[]>,
  keyOf: (item: T) => PageKey,
  request: PageRequest,
): Promise<Page<T>> {
  const limit = checkLimit(request.limit);
  const after = request.cursor ? decodeCursor(request.cursor) : null;
  const perSource = await Promise.all(sources.map((s) => fetch(s, after, limit + 1)));
  const merged = perSource.flat().sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
  const items = merged.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: merged.length > limit && last ? encodeCursor(keyOf(last)) : null };
}

function afterValue(after: PageKey, sortIsDate: boolean): SortValue | Date {
  if (sortIsDate && (typeof after.sort !== "number" || !Number.isFinite(new Date(after.sort).getTime()))) {
    throw new LabError("invalid", "cursor belongs to another list; start again without it", { field: "cursor" });
  }
  return sortIsDate ? new Date(after.sort) : after.sort;
}

/** The Prisma `where` for rows after a key on (sortField, id), for a Date or a scalar sort field. */
export function afterKeyWhere(sortField: string, after: PageKey | null, sortIsDate: boolean): Record<string, unknown> {
  if (!after) return {};
  const value = afterValue(after, sortIsDate);
  return { OR: [{ [sortField]: { gt: value } }, { [sortField]: value, id: { gt: after.id } }] };
}

/** The same condition as SQL, for the raw read paths: ("sort", "id") after the key, or always true. */
export function afterKeySql(sortColumn: string, after: PageKey | null, sortIsDate: boolean): { sql: string; params: unknown[] } {
  if (!after) return { sql: "1 = 1", params: [] };
  const value = afterValue(after, sortIsDate);
  return { sql: `("${sortColumn}" > ? OR ("${sortColumn}" = ? AND "id" > ?))`, params: [value, value, after.id] };
}
