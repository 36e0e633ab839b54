// No SQL Server runs here, so its artefacts are checked as far as they can be: the migrations parse as
// T-SQL and declare the same tables, columns and foreign keys as the SQLite ones, and the generated SQL Server client
// loads with the mssql driver adapter (its types are checked by `tsc` in npm test).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PrismaMssql } from "@prisma/adapter-mssql";
import sqlParser from "node-sql-parser";
import { describe, expect, it } from "vitest";
import { type Claim, PrismaClient as SqlServerPrismaClient } from "../lib/data/generated/sqlserver/client.ts";
import { migrationsDir, readMigrations } from "../lib/data/migrations.ts";
import { repoRoot } from "./support/test-labs.ts";

const parser = new sqlParser.Parser();

type ForeignKey = [table: string, column: string, references: string];

/** node-sql-parser's T-SQL grammar has no FOREIGN KEY clause, so those lines are checked by pattern and cut. */
function splitForeignKeys(tsql: string): { sql: string; keys: ForeignKey[] } {
  const keys: ForeignKey[] = [];
  let table = "";
  const lines = tsql.split("\n").flatMap((line) => {
    table = /^CREATE TABLE "(\w+)"/.exec(line)?.[1] ?? table;
    const fk = /^\s+CONSTRAINT "\w+_fkey" FOREIGN KEY \("(\w+)"\) REFERENCES "(\w+)"\("(\w+)"\),?$/.exec(line);
    if (!fk) return [line];
    keys.push([table, fk[1]!, `${fk[2]}.${fk[3]}`]);
    return [];
  });
  return { sql: lines.join("\n").replace(/,(\s*\n\);)/g, "$1"), keys };
}

function sqliteForeignKeys(sql: string): ForeignKey[] {
  const keys: ForeignKey[] = [];
  let table = "";
  for (const line of sql.split("\n")) {
    table = /^CREATE TABLE "(\w+)"/.exec(line)?.[1] ?? table;
    const ref = /^\s+"(\w+)" .* REFERENCES "(\w+)"\("(\w+)"\)/.exec(line);
    if (ref) keys.push([table, ref[1]!, `${ref[2]}.${ref[3]}`]);
  }
  return keys;
}

function tablesAndColumns(sql: string, database: string): Map<string, string[]> {
  const ast = parser.astify(sql, { database });
  const statements = Array.isArray(ast) ? ast : [ast];
  const out = new Map<string, string[]>();
  for (const s of statements as unknown as {
    type: string;
    keyword?: string;
    table?: { table: string }[];
    create_definitions?: { resource: string; column?: { column: string | { expr: { value: string } } } }[];
  }[]) {
    if (s.type !== "create" || s.keyword !== "table") continue;
    const columns = (s.create_definitions ?? [])
      .filter((d) => d.resource === "column")
      .map((d) => (typeof d.column!.column === "string" ? d.column!.column : d.column!.column.expr.value));
    out.set(s.table![0]!.table, columns);
  }
  return out;
}

describe("SQL Server artefacts", () => {
  for (const role of ["shard", "control"] as const) {
    it(`${role} migrations parse as T-SQL and match the SQLite tables column for column`, () => {
      for (const m of readMigrations(migrationsDir(repoRoot, "sqlserver", role))) {
        const sqlite = readFileSync(join(migrationsDir(repoRoot, "sqlite", role), m.name), "utf8");
        const expected = tablesAndColumns(sqlite, "sqlite");
        const { sql, keys } = splitForeignKeys(m.sql);
        const actual = tablesAndColumns(sql, "transactsql");
        expect(actual.size).toBeGreaterThan(0);
        expect([...actual]).toEqual([...expected]);
        expect(keys).toEqual(sqliteForeignKeys(sqlite));
      }
    });
  }

  it("builds the generated SQL Server client on the mssql driver adapter", () => {
    const adapter = new PrismaMssql({ server: "127.0.0.1", port: 1433, database: "pimlab_shard_0", options: { trustServerCertificate: true } });
    const client = new SqlServerPrismaClient({ adapter });
    expect(typeof client.patient.findMany).toBe("function");
    expect(typeof client.auditEntry.create).toBe("function");
    // Typed queries the repositories rely on, checked by tsc against the SQL Server client. Prisma queries
    // are lazy: nothing is sent unless awaited, so no server is needed.
    const pending: PromiseLike<Claim[]> = client.claim.findMany({
      where: { AND: [{ status: "paid" }, { OR: [{ createdAt: { gt: new Date(0) } }, { createdAt: new Date(0), id: { gt: "clm-" } }] }] },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: 10,
    });
    expect(typeof pending.then).toBe("function");
  });
});
