// npm run runbooks:check: fails (exit 1) when an alert tier or a part of the lab has no runbook, or a
// runbook links to a page, runbook or heading that does not exist; prints each problem as file:line.
import { join } from "node:path";
import { checkRunbooks } from "../lib/runbooks/runbook-check.ts";
import { labRunbookSubjects, readRunbooks } from "../lib/runbooks/lab-runbooks.ts";

const root = join(import.meta.dirname, "..");
const runbooks = readRunbooks(root);
const subjects = labRunbookSubjects(root);
const problems = checkRunbooks(runbooks, subjects);
for (const p of problems) console.error(`${p.line > 0 ? `${p.file}:${p.line}` : p.file}: ${p.message}`);
const tiers = subjects.slos.reduce((n, s) => n + s.tiers.length, 0);
if (problems.length > 0) {
  console.error(`runbooks:check: ${problems.length} problems in docs/runbooks`);
  process.exit(1);
}
console.log(
  `runbooks:check: ${runbooks.size} runbooks cover ${tiers} alert tiers of ${subjects.slos.length} SLOs and ${subjects.components.length} parts of the lab; every link leads somewhere`,
);
