// Writes one Prisma schema per provider from prisma/source/schema.prisma and generates its client.
// Skips the work when the source and the Prisma version are unchanged since the last run (a stamp file),
// so `npm test` and `npm run lab` can call it every time.
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const providers = ["sqlite", "postgresql", "sqlserver"] as const;

const source = readFileSync(join(root, "prisma/source/schema.prisma"), "utf8");
const prismaVersion = JSON.parse(readFileSync(join(root, "node_modules/prisma/package.json"), "utf8")).version;
const stampFile = join(root, "lib/data/generated/.stamp");
const stamp = createHash("sha256").update(source).update(prismaVersion).digest("hex");

const force = process.argv.includes("--force");
if (!force && existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp) {
  process.exit(0);
}

for (const provider of providers) {
  const schemaDir = join(root, "prisma/generated", provider);
  const clientDir = join(root, "lib/data/generated", provider);
  mkdirSync(schemaDir, { recursive: true });
  const schemaPath = join(schemaDir, "schema.prisma");
  const schema =
    `// Generated from prisma/source/schema.prisma by scripts/db-generate.ts: edit the source, not this file.\n` +
    source.replace("{{provider}}", provider).replace("{{output}}", relative(schemaDir, clientDir));
  writeFileSync(schemaPath, schema);
  execFileSync(join(root, "node_modules/.bin/prisma"), ["generate", "--schema", schemaPath], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    // The schema engine is a native binary this machine cannot download; generate does not need it.
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: "/dev/null", CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  });
  console.log(`db:generate ${provider} client -> ${relative(root, clientDir)}`);
}
writeFileSync(stampFile, stamp);
