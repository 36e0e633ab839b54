// Prints one closing line over every runner: "tests: N passed, N failed, N skipped", then each failed
// test with the first line of its error: CI keeps only the tail of the output, so the names must be there.
import { existsSync, readFileSync } from "node:fs";
import { relative } from "node:path";
import { stripVTControlCharacters } from "node:util";

interface FailedTest {
  where: string;
  title: string;
  error: string;
}

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests?: number;
  testResults: {
    name: string;
    message?: string;
    status: string;
    assertionResults: { fullName: string; status: string; failureMessages?: string[] }[];
  }[];
}

interface PlaywrightSuite {
  title: string;
  file?: string;
  specs?: {
    title: string;
    file: string;
    line?: number;
    tests: { projectName?: string; status: string; results: { error?: { message?: string } }[] }[];
  }[];
  suites?: PlaywrightSuite[];
}

interface PlaywrightReport {
  stats: { expected: number; unexpected: number; flaky: number; skipped: number };
  suites: PlaywrightSuite[];
}

// The reporters' messages carry ANSI colour codes.
const firstLine = (text: string | undefined): string =>
  stripVTControlCharacters(text ?? "")
    .split("\n")
    .find((line) => line.trim() !== "")
    ?.trim()
    .slice(0, 240) ?? "";

function vitestFailures(report: VitestReport): FailedTest[] {
  const failures: FailedTest[] = [];
  for (const file of report.testResults) {
    const where = relative(process.cwd(), file.name);
    const failedTests = file.assertionResults.filter((test) => test.status === "failed");
    for (const test of failedTests) {
      failures.push({ where, title: test.fullName, error: firstLine(test.failureMessages?.[0]) });
    }
    // A file that failed before any test ran (an import, a hook) has no failed assertion to name.
    if (file.status === "failed" && failedTests.length === 0) {
      failures.push({ where, title: "(the file)", error: firstLine(file.message) });
    }
  }
  return failures;
}

function playwrightFailures(suites: PlaywrightSuite[], titles: string[] = []): FailedTest[] {
  const failures: FailedTest[] = [];
  for (const suite of suites) {
    const path = suite.file === suite.title ? titles : [...titles, suite.title];
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        if (test.status !== "unexpected") continue;
        const last = test.results[test.results.length - 1];
        failures.push({
          where: `e2e/${spec.file}:${spec.line ?? 0}${test.projectName ? ` [${test.projectName}]` : ""}`,
          title: [...path, spec.title].filter(Boolean).join(" > "),
          error: firstLine(last?.error?.message),
        });
      }
    }
    failures.push(...playwrightFailures(suite.suites ?? [], path));
  }
  return failures;
}

let passed = 0;
let failed = 0;
let skipped = 0;
const failures: FailedTest[] = [];
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, "utf8")) as VitestReport | PlaywrightReport;
  if ("numPassedTests" in report) {
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + (report.numTodoTests ?? 0);
    failures.push(...vitestFailures(report));
  } else if (report.stats) {
    passed += report.stats.expected + report.stats.flaky;
    failed += report.stats.unexpected;
    skipped += report.stats.skipped;
    failures.push(...playwrightFailures(report.suites));
  }
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failures.length > 0) {
  console.log("failed tests:");
  for (const failure of failures) {
    console.log(`  - ${failure.where}: ${failure.title}`);
    if (failure.error) console.log(`      ${failure.error}`);
  }
}
