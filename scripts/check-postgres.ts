// Exits 0 when a PostgreSQL server answers at the URL given, else prints why and exits 1 (used by npm test).
import pg from "pg";

const url = process.argv[2] ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
try {
  await client.connect();
  await client.query("SELECT 1");
  await client.end();
} catch (err) {
  console.error((err as Error).message || String(err));
  process.exit(1);
}
