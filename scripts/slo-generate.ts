// npm run slo:generate: writes the Prometheus rules and Grafana dashboards of every SLO in slo/ into
// deploy/observability/ (and removes those of SLOs that are gone). With --check it changes nothing and
// exits 1 when a file is missing, stale or left over, which the tests run.
import { join } from "node:path";
import { isLabError } from "../lib/errors/index.ts";
import { loadSloDirectory } from "../lib/slo/load-slos.ts";
import { OBSERVABILITY_DIR, observabilityFiles } from "../lib/slo/observability-files.ts";
import { syncGeneratedFiles } from "./generated-files.ts";

const root = join(import.meta.dirname, "..");
const check = process.argv.includes("--check");
let slos;
try {
  slos = loadSloDirectory(join(root, "slo"), root);
} catch (err) {
  if (!isLabError(err, "invalid")) throw err;
  console.error(err.message);
  process.exit(2);
}
const wanted = observabilityFiles(slos);
const r = syncGeneratedFiles(
  { dir: join(root, OBSERVABILITY_DIR), label: "deploy/observability", subdirs: ["rules", "dashboards"], wanted, regenerate: "npm run slo:generate" },
  check,
);
console.log(
  check
    ? `deploy/observability is current: ${wanted.size} files for ${slos.length} SLOs`
    : `${slos.length} SLOs: ${r.written} files written, ${r.removed} removed, ${r.unchanged} unchanged (deploy/observability)`,
);
