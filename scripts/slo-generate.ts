// npm run slo:generate: writes the Prometheus rules and Grafana dashboards of every SLO in slo/ into
// deploy/observability/ (and removes those of SLOs that are gone). With --check it changes nothing and
// exits 1 when a file is missing, stale or left over, which the tests run.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { SloDefinitionError, loadSloDirectory } from "../lib/slo/load-slos.ts";
import { OBSERVABILITY_DIR, observabilityFiles } from "../lib/slo/observability-files.ts";

const root = join(import.meta.dirname, "..");
const check = process.argv.includes("--check");
let slos;
try {
  slos = loadSloDirectory(join(root, "slo"), root);
} catch (err) {
  if (!(err instanceof SloDefinitionError)) throw err;
  console.error(err.message);
  process.exit(2);
}
const out = join(root, OBSERVABILITY_DIR);
const wanted = observabilityFiles(slos);
const present = ["rules", "dashboards"].flatMap((sub) => {
  try {
    return readdirSync(join(out, sub)).map((f) => `${sub}/${f}`);
  } catch {
    return [];
  }
});
const stale = [...wanted].filter(([path, text]) => {
  try {
    return readFileSync(join(out, path), "utf8") !== text;
  } catch {
    return true;
  }
}).map(([path]) => path);
const leftOver = present.filter((p) => !wanted.has(p));
if (check) {
  if (stale.length + leftOver.length > 0) {
    console.error(`deploy/observability is not current with slo/ (run npm run slo:generate):\n${[...stale.map((p) => `  stale or missing: ${p}`), ...leftOver.map((p) => `  left over: ${p}`)].join("\n")}`);
    process.exit(1);
  }
  console.log(`deploy/observability is current: ${wanted.size} files for ${slos.length} SLOs`);
} else {
  for (const path of stale) {
    mkdirSync(dirname(join(out, path)), { recursive: true });
    writeFileSync(join(out, path), wanted.get(path)!);
  }
  for (const path of leftOver) rmSync(join(out, path));
  console.log(`${slos.length} SLOs: ${stale.length} files written, ${leftOver.length} removed, ${wanted.size - stale.length} unchanged (deploy/observability)`);
}
