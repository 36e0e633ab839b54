import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AUDIT_CSV_COLUMNS, auditCsvLine, csvCell, csvLine, truncationLine } from "./audit-csv.ts";
import type { AuditRow } from "./present-audit.ts";
import { CLINICIAN_UPDATED_PATIENT } from "./audit-entry-fixture.ts";

/** A strict RFC 4180 reader: what a spreadsheet or a CSV library would make of the text. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch !== '"') cell += ch;
      else if (text[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = false;
    } else if (ch === '"' && cell === "") {
      quoted = true;
    } else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      [row, cell] = [[], ""];
      i++;
    } else if (ch === '"' || ch === "\r" || ch === "\n") {
      throw new Error(`bare ${JSON.stringify(ch)} at ${i}: not RFC 4180`);
    } else cell += ch;
  }
  if (cell !== "" || row.length) throw new Error("the last line has no CRLF");
  return rows;
}

const row = (overrides: Partial<AuditRow> = {}): AuditRow => ({
  occurredAt: "2026-11-24T09:30:00.000Z",
  source: "shard 1",
  shard: 1,
  sequence: "42",
  ...CLINICIAN_UPDATED_PATIENT,
  traceId: null,
  outcome: "success",
  details: '{"fields":["city"],"version":2}',
  operation: "update",
  changes: [{ field: "city", before: "[redacted]", after: "[redacted]" }],
  ...overrides,
});

describe("audit CSV", () => {
  it("quotes fields with commas, quotes and line breaks, doubles quotes, and ends lines with CRLF", () => {
    expect(csvLine(["a", "b,c", 'say "hi"', "two\nlines", "cr\r", null])).toBe('a,"b,c","say ""hi""","two\nlines","cr\r",\r\n');
  });

  it("reads back exactly as written for any text, apart from the apostrophe before a formula start", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.oneof(fc.string(), fc.constantFrom('"', ",", "\r\n", "=1+1", "@x", "-", "+")), { minLength: 1, maxLength: 6 }), { maxLength: 6 }),
        (rows) => {
          const text = rows.map((r) => csvLine(r)).join("");
          const expected = rows.map((r) => r.map((c) => (/^[=+\-@\t\r]/.test(c) ? `'${c}` : c)));
          expect(readCsv(text)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("defuses cells a spreadsheet would run as formulas, however they are quoted", () => {
    for (const attack of ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", '=cmd|"/c calc"!A1']) {
      const [[cell]] = readCsv(csvLine([attack])) as [[string]];
      expect(cell.startsWith("'")).toBe(true);
    }
    expect(csvCell("pat-1")).toBe("pat-1");
    expect(csvCell("2026-11-24T09:30:00.000Z")).toBe("2026-11-24T09:30:00.000Z");
  });

  it("writes an entry under the header's columns, with its change as JSON and empty cells for nothing", () => {
    const [header, line] = readCsv(csvLine([...AUDIT_CSV_COLUMNS]) + auditCsvLine(row())) as [string[], string[]];
    const record = Object.fromEntries(header.map((h, i) => [h, line[i]]));
    expect(record).toMatchObject({ source: "shard 1", sequence: "42", traceId: "", operation: "update", details: '{"fields":["city"],"version":2}' });
    expect(JSON.parse(record.changes!)).toEqual([{ field: "city", before: "[redacted]", after: "[redacted]" }]);
    expect(readCsv(auditCsvLine(row({ changes: [], operation: null })))[0]!.slice(-2)).toEqual(["", ""]);
  });

  it("states the cap in a last line of its own when an export is cut short", () => {
    const [[note]] = readCsv(truncationLine(50_000)) as [[string]];
    expect(note).toMatch(/^# export stopped at 50000 rows \(the cap\); narrow the filter/);
  });
});
