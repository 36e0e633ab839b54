// The supervisor process (:4900) over an already prepared lab: `npm run lab` prepares the lab (migrations,
// seed, portal build) and then runs the same supervisor in its own process; this entry skips the preparation.
import { join } from "node:path";
import { labEnvironment, loadConfigOrExit } from "../../lib/config/index.ts";
import { LabError } from "../../lib/errors/index.ts";
import { superviseLab } from "./supervise-lab.ts";

const startedAt = Date.now();
const config = loadConfigOrExit();
try {
  await superviseLab({ config, root: join(import.meta.dirname, "..", ".."), env: labEnvironment(), startedAt });
  process.exit(0);
} catch (err) {
  // The terminal's short line for what the lab can name; anything else with its stack.
  console.error(err instanceof LabError ? `supervisor: ${err.message}` : err);
  process.exit(err instanceof LabError ? 2 : 1);
}
