// The agents' leaderboard as an SRE reads it. A benchmark run kept from a real `npm run bench:agents`
// (e2e/fixtures/agent-bench/: its results and reviews, as the harness wrote them) is put in the e2e lab's
// data directory; /agents shows it with its totals, its page has each exercise as the agent played it, and
// an exercise opens its post-incident review. On-call may not read it: the results say what each exercise
// hides.
import { cpSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import type { AgentBenchRun } from "../lib/exercises/agent-bench-records.ts";
import { seriousViolations } from "./accessibility.ts";
import { signInAs } from "./personas.ts";
import { shot } from "./shots.ts";

const FIXTURES = join(import.meta.dirname, "fixtures", "agent-bench");
const KEPT = join(".lab", "e2e", "agent-bench");
const runId = readdirSync(FIXTURES)[0]!;
const run = JSON.parse(readFileSync(join(FIXTURES, runId, "results.json"), "utf8")) as Omit<AgentBenchRun, "id">;

test.beforeAll(() => cpSync(join(FIXTURES, runId), join(KEPT, runId), { recursive: true }));
test.afterAll(() => rmSync(join(KEPT, runId), { recursive: true, force: true }));

test("an SRE reads an agent's benchmark run on the leaderboard, its exercises, and an exercise's review", async ({ page }) => {
  // Three pages, each checked with axe-core: early in npm test, beside the exercise labs, that took over 60 s.
  test.setTimeout(120_000);
  await signInAs(page, "Sam Demo (SRE)", "/agents");
  const board = page.getByRole("table", { name: "Agent benchmark runs" });
  const row = board.getByRole("row").filter({ hasText: run.startedAt.replace("T", " ").slice(0, 16) });
  await expect(row).toContainText(run.agent);
  await expect(row).toContainText(`${run.totals.detected}/${run.totals.faults}`);
  await expect(row).toContainText(`${run.totals.points} / ${100 * run.totals.exercises}`);
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, "agents-leaderboard");

  await row.getByRole("link", { name: run.agent }).click();
  await expect(page).toHaveURL(new RegExp(`/agents/${runId}$`));
  const exercises = page.getByRole("table", { name: "The agent's exercises" });
  for (const r of run.results) await expect(exercises.getByRole("row").filter({ hasText: r.exercise }).first()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, "agents-run");

  const played = run.results.find((r) => !r.noFault && r.points !== null)!;
  await exercises.getByRole("link", { name: played.exercise, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/agents/${runId}/${played.exercise}$`));
  // The review puts the hidden truth beside the agent's timeline, and its score.
  await expect(page.getByRole("heading", { name: "What was wrong" })).toBeVisible();
  await expect(page.locator("article")).toContainText(`${played.points} / 100`);
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, "agents-exercise-review");
});

test("on call may not read the leaderboard: it says what each exercise hides", async ({ page }) => {
  await signInAs(page, "Olive Demo (on call)", "/agents");
  await expect(page.getByRole("heading", { name: "Not for your role" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Agent benchmark runs" })).toHaveCount(0);
  await page.goto(`/agents/${runId}`);
  await expect(page.getByRole("heading", { name: "Not for your role" })).toBeVisible();
  await expect(page.getByText(run.results[0]!.exercise)).toHaveCount(0);
});
