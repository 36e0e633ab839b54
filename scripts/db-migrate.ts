// npm run db:migrate: creates and migrates the control and shard databases of the configured lab.
import { loadConfig } from "../lib/config/index.ts";
import { prepareLabDatabases } from "../lib/data/lab-databases.ts";
import { repoRoot, runCommand } from "./cli.ts";

runCommand("db:migrate", async () => {
  const config = loadConfig();
  const report = await prepareLabDatabases(config, repoRoot);
  for (const db of report.databases) {
    console.log(`db:migrate ${db.label}: ${db.applied.length ? `applied ${db.applied.join(", ")}` : "up to date"}`);
  }
  if (report.shardMapCreated) console.log(`db:migrate control: shard map written for ${config.shardCount} shards`);
});
