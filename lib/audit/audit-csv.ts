// The audit search as CSV (RFC 4180: comma-separated, CRLF line ends, fields with a quote, comma or line
// break quoted, quotes doubled), read page by page so an export of any size holds one page in memory, and
// capped: past the cap a last line says the export stopped and how to get the rest.
import { MAX_PAGE_SIZE } from "../data/cross-shard-page.ts";
import type { LabDatabases } from "../data/lab-databases.ts";
import type { AuditFilter } from "./audit-filter.ts";
import type { AuditRow } from "./present-audit.ts";
import { type AuditReader, readAuditPage } from "./read-audit-page.ts";

export const AUDIT_EXPORT_MAX_ROWS = 50_000;

export const AUDIT_CSV_COLUMNS = [
  "occurredAt",
  "source",
  "sequence",
  "actorId",
  "actorRole",
  "action",
  "entityType",
  "entityId",
  "patientId",
  "requestId",
  "traceId",
  "outcome",
  "details",
  "operation",
  "changes",
] as const;

// A spreadsheet runs a cell starting with one of these as a formula (CSV injection); tab and carriage return
// are on OWASP's list too, since some spreadsheets strip them and then see the next character.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: formula starts defused with a leading apostrophe, then quoted when RFC 4180 needs it. */
export function csvCell(value: string | null): string {
  if (value === null) return "";
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvLine(cells: readonly (string | null)[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

export function auditCsvLine(row: AuditRow): string {
  return csvLine(
    AUDIT_CSV_COLUMNS.map((column) => {
      if (column === "changes") return row.changes.length ? JSON.stringify(row.changes) : null;
      const value = row[column];
      return value === null ? null : String(value);
    }),
  );
}

export function truncationLine(maxRows: number): string {
  return csvLine([`# export stopped at ${maxRows} rows (the cap); narrow the filter, e.g. by time range, to export the rest`]);
}

/**
 * The CSV of a filter, as text chunks: the header, then one chunk per page of the search, then the
 * truncation line if the cap cut it short. The filter's cursor and page size are ignored: an export is
 * the whole filter, newest first.
 */
export async function* auditCsv(
  lab: LabDatabases,
  filter: AuditFilter,
  reader: AuditReader,
  options: { maxRows?: number; pageSize?: number } = {},
): AsyncGenerator<string> {
  const maxRows = options.maxRows ?? AUDIT_EXPORT_MAX_ROWS;
  const pageSize = options.pageSize ?? MAX_PAGE_SIZE;
  yield csvLine([...AUDIT_CSV_COLUMNS]);
  let written = 0;
  let cursor: string | null = null;
  do {
    const limit = Math.min(pageSize, maxRows - written);
    if (limit === 0) {
      yield truncationLine(maxRows);
      return;
    }
    const page = await readAuditPage(lab, { ...filter, limit, cursor: cursor ?? undefined }, reader);
    if (page.rows.length) yield page.rows.map(auditCsvLine).join("");
    written += page.rows.length;
    cursor = page.nextCursor;
  } while (cursor);
}
