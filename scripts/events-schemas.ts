// npm run events:schemas: writes the event catalog's JSON Schemas to docs/events/ (a test keeps them current
// and refuses a change that breaks a published version).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { catalogJsonSchemas } from "../lib/events/json-schemas.ts";

const dir = join(import.meta.dirname, "..", "docs", "events");
mkdirSync(dir, { recursive: true });
const files = catalogJsonSchemas();
for (const name of readdirSync(dir)) if (name.endsWith(".schema.json") && !(name in files)) rmSync(join(dir, name));
for (const [name, schema] of Object.entries(files)) writeFileSync(join(dir, name), `${JSON.stringify(schema, null, 2)}\n`);
console.log(`events:schemas wrote ${Object.keys(files).length} schemas to docs/events/`);
