// The audit search's filter as it travels in a URL (the page's GET form, the API, the CSV export link):
// parsed strictly with zod, so bad input is a 400 naming the field, and written back for the page's links.
// Times without a zone are UTC: the page shows UTC, and a browser's datetime-local input sends no zone.
import { z } from "zod";
import { MAX_PAGE_SIZE } from "../data/cross-shard-page.ts";
import { LabError } from "../errors/index.ts";
import { CONTROL_LOG } from "./audit-logs.ts";
import type { AuditQuery } from "./search-audit.ts";

export const DEFAULT_AUDIT_PAGE_SIZE = 50;

/** The filter fields, in the order the page and the CSV export show them. */
export const AUDIT_FILTER_FIELDS = ["requestId", "actorId", "action", "entityType", "entityId", "from", "to", "source"] as const;

const text = z.string().regex(/^[\x21-\x7e]{1,200}$/, "must be 1 to 200 visible ASCII characters without spaces");
const TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;
/** Date rolls 2026-02-30 over into March and accepts 24:00; a typo should be refused, not moved. */
function realCalendarParts(v: string): boolean {
  const [y, mo, d, h, mi, sec] = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/
    .exec(v)!
    .slice(1)
    .map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const day = new Date(Date.UTC(y, mo - 1, d));
  return day.getUTCMonth() === mo - 1 && day.getUTCDate() === d && h < 24 && mi < 60 && sec < 60;
}

const time = z
  .string()
  .regex(TIME, "must be a time such as 2026-11-24T09:30 (UTC) or 2026-11-24T09:30:00Z")
  .transform((v, ctx) => {
    const zoned = /(Z|[+-]\d{2}:\d{2})$/.test(v) ? v : `${v.length === 10 ? `${v}T00:00` : v}Z`;
    const at = new Date(zoned);
    if (Number.isNaN(at.getTime()) || !realCalendarParts(v)) {
      ctx.addIssue({ code: "custom", message: "is not a real date and time" });
      return z.NEVER;
    }
    return at;
  });
const source = z.string().regex(/^(control|shard-\d{1,3})$/, "must be control or shard-N");

const FilterSchema = z.strictObject({
  requestId: text.optional(),
  actorId: text.optional(),
  action: text.optional(),
  entityType: text.optional(),
  entityId: text.optional(),
  from: time.optional(),
  to: time.optional(),
  source: source.optional(),
  limit: z.coerce
    .number<string>()
    .int(`must be a whole number from 1 to ${MAX_PAGE_SIZE}`)
    .min(1, `must be from 1 to ${MAX_PAGE_SIZE}`)
    .max(MAX_PAGE_SIZE, `must be from 1 to ${MAX_PAGE_SIZE}`)
    .optional(),
  cursor: z.string().max(400, "is not one this search issued").optional(),
});

export interface AuditFilter {
  requestId?: string;
  actorId?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  from?: Date;
  to?: Date;
  /** "control" or "shard-N"; every log when absent. */
  source?: string;
  limit: number;
  cursor?: string;
}

export type QueryParams = URLSearchParams | Record<string, string | string[] | undefined>;

function entriesOf(params: QueryParams): Record<string, string> {
  const out: Record<string, string> = {};
  const seen = new Set<string>();
  const pairs =
    params instanceof URLSearchParams
      ? [...params.entries()]
      : Object.entries(params).flatMap(([k, v]) => (v === undefined ? [] : Array.isArray(v) ? v.map((x) => [k, x] as const) : [[k, v] as const]));
  for (const [key, raw] of pairs) {
    if (seen.has(key)) throw new LabError("invalid", `give ${key} once`, { field: key });
    seen.add(key);
    const value = raw.trim();
    if (value !== "") out[key] = value; // an empty form field means "any"
  }
  return out;
}

/** The filter of a query string; a LabError "invalid" naming the field when any part is wrong. */
export function parseAuditFilter(params: QueryParams, options: { shardCount: number }): AuditFilter {
  const parsed = FilterSchema.safeParse(entriesOf(params));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.code === "unrecognized_keys" ? issue.keys[0]! : String(issue.path[0] ?? "query");
    const message = issue.code === "unrecognized_keys" ? "is not a filter of the audit search" : issue.message;
    throw new LabError("invalid", `${field} ${message}`, { field });
  }
  const { limit, from, to, source: wanted, ...rest } = parsed.data;
  if (from && to && from >= to) throw new LabError("invalid", "to must be later than from", { field: "to" });
  if (wanted?.startsWith("shard-") && Number(wanted.slice(6)) >= options.shardCount) {
    throw new LabError("invalid", `source must be control or shard-0 to shard-${options.shardCount - 1}`, { field: "source" });
  }
  return { ...rest, ...(from ? { from } : {}), ...(to ? { to } : {}), ...(wanted ? { source: wanted } : {}), limit: limit ?? DEFAULT_AUDIT_PAGE_SIZE };
}

/** The search query of a filter (the source becomes the list of logs to read). */
export function auditQueryOf(filter: AuditFilter): AuditQuery {
  const { source, ...rest } = filter;
  return { ...rest, ...(source ? { shards: [source === "control" ? CONTROL_LOG : Number(source.slice(6))] } : {}) };
}

/** The filter as a query string, for links that keep it (the next page, the CSV export). */
export function auditFilterParams(filter: AuditFilter, change: { cursor?: string | null; limit?: number | null } = {}): URLSearchParams {
  const params = new URLSearchParams();
  for (const field of AUDIT_FILTER_FIELDS) {
    const value = filter[field];
    if (value !== undefined) params.set(field, value instanceof Date ? value.toISOString() : value);
  }
  const limit = change.limit === undefined ? filter.limit : change.limit;
  if (limit !== null && limit !== DEFAULT_AUDIT_PAGE_SIZE) params.set("limit", String(limit));
  const cursor = change.cursor === undefined ? filter.cursor : change.cursor;
  if (cursor) params.set("cursor", cursor);
  return params;
}

/** Whether any filter field is set (the empty state says different things for "nothing yet" and "no match"). */
export function isFiltered(filter: AuditFilter): boolean {
  return AUDIT_FILTER_FIELDS.some((f) => filter[f] !== undefined);
}
