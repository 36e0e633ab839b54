// npm run lab:token -- --persona clinician: prints a bearer token for one of the lab's demo personas, for
// calling the API with curl until the portal's sign-in arrives.
import { parseArgs } from "node:util";
import { ROLES, type Role } from "../lib/auth/roles.ts";
import { issueLabToken, labSigningKey } from "../lib/auth/tokens.ts";
import { loadConfig } from "../lib/config/index.ts";
import { openLabDatabases } from "../lib/data/lab-databases.ts";
import { demoPersonaActor } from "../lib/data/reference-data.ts";
import { LabError } from "../lib/errors/index.ts";
import { runCommand } from "./cli.ts";

runCommand("lab:token", async () => {
  let persona: string | undefined;
  let ttl: string | undefined;
  try {
    ({ persona, ttl } = parseArgs({
      args: process.argv.slice(2),
      options: { persona: { type: "string" }, ttl: { type: "string", default: "3600" } },
      strict: true,
    }).values);
  } catch (err) {
    throw new LabError("invalid", `${(err as Error).message}; usage: npm run lab:token -- --persona ${ROLES.join("|")}`);
  }
  if (!persona || !(ROLES as readonly string[]).includes(persona)) {
    throw new LabError("invalid", `--persona must be one of ${ROLES.join(", ")}`, { field: "persona" });
  }
  const ttlSeconds = Number(ttl);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 60 || ttlSeconds > 86_400)
    throw new LabError("invalid", "--ttl must be whole seconds from 60 to 86400", { field: "ttl" });
  const config = loadConfig();
  const lab = await openLabDatabases(config);
  try {
    const actor = await demoPersonaActor(lab, persona as Role);
    console.log(await issueLabToken(labSigningKey(config.privacySecret), actor, { ttlSeconds }));
  } finally {
    await lab.close();
  }
});
