// The drills pages on the running lab: an SRE reads the catalog, fills the service-latency form built from
// its params schema, gets the engine's refusal beside a bad field, dry-runs it (targets with their pids),
// launches it, watches and aborts the run, and finds it aborted in the history; a clinician is refused.
// Every page has no serious or critical accessibility violation, and is saved as a screenshot.
import { type Page, expect, test } from "@playwright/test";
import { DRILLS } from "../lib/drills/drill-catalog.ts";
import { seriousViolations } from "./accessibility.ts";
import { signInAs } from "./personas.ts";
import { shot as saveShot } from "./shots.ts";

/** Checks the page with axe-core and saves it as a screenshot beside the other pages' (test-results/screenshots). */
async function expectNoSeriousViolations(page: Page, shot: string): Promise<void> {
  await saveShot(page, `drills-${shot}`);
  expect(await seriousViolations(page)).toEqual([]);
}

test("an SRE dry-runs, launches and aborts a service-latency drill from its form, and finds it aborted in the history", async ({ page }) => {
  test.setTimeout(120_000);
  await signInAs(page, "Sam Demo (SRE)", "/drills");
  await expect(page.getByRole("heading", { name: "Drills", exact: true })).toBeVisible();
  await expect(page.getByRole("table", { name: "Drill catalog" }).locator("tbody tr")).toHaveCount(DRILLS.length);
  await expect(page.locator('tr[data-drill="service-latency"]')).toContainText("A dependency slows down");
  await expect(page.getByRole("heading", { name: "Guardrails" })).toBeVisible();
  await expectNoSeriousViolations(page, "catalog");

  await page.getByRole("table", { name: "Drill catalog" }).getByRole("link", { name: "Service latency", exact: true }).click();
  await expect(page).toHaveURL(/\/drills\/service-latency$/);
  await expect(page.getByRole("heading", { name: "Service latency", exact: true })).toBeVisible();
  // The distribution switch shows one variant's controls at a time, starting at the schema's default.
  await expect(page.getByRole("combobox", { name: "Type" })).toHaveValue("exponential");
  await expect(page.getByRole("spinbutton", { name: "Mean (ms)" })).toHaveValue("400");
  await page.getByRole("combobox", { name: "Type" }).selectOption("fixed");
  await expect(page.getByRole("spinbutton", { name: "Mean (ms)" })).toHaveCount(0);
  await page.getByRole("spinbutton", { name: "Milliseconds" }).fill("300");
  await page.getByRole("combobox", { name: "Service", exact: true }).selectOption("clinical");
  // Long enough to outlast the checks between its launch and its abort on a machine busy with other labs
  // (at 20 s it ended by itself before the catalog page listed it live); the test aborts it well before.
  await page.getByRole("spinbutton", { name: "Duration (s)" }).fill("90");
  await expectNoSeriousViolations(page, "form");

  // A route without its leading slash: the engine's problem names the field, shown beside its control.
  const routes = page.getByRole("textbox", { name: "Routes (optional)" });
  await routes.fill("patients");
  await page.getByRole("button", { name: "Dry run" }).click();
  await expect(page.getByTestId("drill-problem")).toBeVisible();
  await expect(page.locator("section[role=alert]")).toContainText("params.routes.0");
  await expect(routes).toHaveAttribute("aria-invalid", "true");
  await expect(routes).toHaveValue("patients");
  await expect(page.getByRole("spinbutton", { name: "Milliseconds" })).toHaveValue("300");
  await expectNoSeriousViolations(page, "form-refused");

  await routes.fill("");
  // An abort condition on one of the lab's SLOs, with a budget floor it never reaches.
  const condition = page.getByRole("group", { name: "Abort condition 1" });
  await condition.getByRole("combobox", { name: "SLO" }).selectOption("clinician-record-diagnosis-availability");
  await condition.getByRole("combobox", { name: "When" }).selectOption("budget");
  await condition.getByRole("spinbutton", { name: "Threshold" }).fill("-5");
  await page.getByRole("button", { name: "Dry run" }).click();
  await expect(page.locator("#dry-run")).toContainText("clinician-record-diagnosis-availability: error budget left below -5");
  const target = page.getByRole("table", { name: "Targets of the drill" }).locator('tr[data-target="clinical"]');
  await expect(target).toContainText("add 300 ms to 100 % of clinical requests");
  await expect(target.locator("td[data-pid]")).toHaveText(/^\d+$/);
  await expect(page.getByTestId("dry-run-deadline")).toContainText("1 min 35 s after the start");
  await expectNoSeriousViolations(page, "dry-run");

  await page.getByRole("button", { name: "Launch", exact: true }).click();
  await expect(page).toHaveURL(/\/drills\/runs\/drl-[a-z0-9-]+$/);
  const runId = new URL(page.url()).pathname.split("/").pop()!;
  await expect(page.getByTestId("drill-run-state")).toHaveText("running");
  await expect(page.getByRole("table", { name: "Steps of the run" }).locator("tr[data-step='1']")).toContainText("clinical");
  await expect(page.locator("tr[data-step='1'] td[data-applied]")).toContainText("UTC");
  await expect(page.getByText(/Live: updates every/)).toBeVisible();
  await expect(page.getByRole("region", { name: "Abort conditions" })).toContainText("clinician-record-diagnosis-availability: error budget left below -5");
  await expectNoSeriousViolations(page, "run");

  // The catalog page lists it as live, with its time left, its target and an abort button of its own.
  await page.goto("/drills");
  const live = page.getByRole("table", { name: "Live drill runs" }).locator(`tr[data-drill-run="${runId}"]`);
  await expect(live.locator("td[data-status]")).toHaveText("running");
  await expect(live).toContainText(/\d+ s left/);
  await expect(live).toContainText("clinical");
  await expect(live.getByRole("button", { name: `Abort Service latency (${runId})` })).toBeVisible();
  await expectNoSeriousViolations(page, "live");

  await page.goto(`/drills/runs/${runId}`);
  await page.getByRole("button", { name: "Abort this run" }).click();
  await expect(page.getByTestId("drill-run-state")).toHaveText("aborted");
  await expect(page.locator("tr[data-step='1'] td[data-reverted]")).toContainText("UTC");
  await expect(page.getByRole("button", { name: "Abort this run" })).toHaveCount(0);

  await page.getByRole("link", { name: "Drills", exact: true }).first().click();
  const row = page.getByRole("table", { name: "Drill history" }).locator(`tr[data-drill-run="${runId}"]`);
  await expect(row.locator("td[data-status]")).toHaveText("aborted");
  await expect(row).toContainText("aborted by");
  await expect(row.locator('a[href^="/audit?requestId="]')).toHaveCount(1);
  await expect(page.getByRole("table", { name: "Live drill runs" }).locator(`tr[data-drill-run="${runId}"]`)).toHaveCount(0);
  await expectNoSeriousViolations(page, "history");
});

test("a clinician is refused the drills pages and the drills API", async ({ page }) => {
  await signInAs(page, "Dr. Casey Demo (clinician)", "/drills");
  await expect(page.locator("section[role=alert]")).toContainText("Drills is for SREs, instructors and admins; you are signed in as a clinician.");
  await page.goto("/drills/service-latency");
  await expect(page.locator("section[role=alert]")).toContainText("you are signed in as a clinician");
  expect((await page.request.get("/api/drills/catalog")).status()).toBe(403);
  expect((await page.request.post("/api/drills/emergency-stop")).status()).toBe(403);
});

test("the emergency stop asks for a confirmation, then ends every live drill run", async ({ page }) => {
  await signInAs(page, "Sam Demo (SRE)", "/drills");
  const launched = await page.request.post("/api/drills/runs", {
    data: { drill: "error-burst", params: { service: "billing", rate: 0.01 }, durationSeconds: 60 },
  });
  expect(launched.status()).toBe(201);
  const { id } = (await launched.json()) as { id: string };
  await page.reload();
  await expect(page.getByRole("table", { name: "Live drill runs" }).locator(`tr[data-drill-run="${id}"]`)).toBeVisible();
  const stop = page.getByRole("button", { name: "Stop every drill now" });
  await expect(stop).toBeHidden();
  await page.getByText("Emergency stop…").click();
  await stop.click();
  await expect(page.getByRole("status")).toContainText(/Emergency stop done: [1-9]\d* drill run\(s\) ended/);
  const row = page.getByRole("table", { name: "Drill history" }).locator(`tr[data-drill-run="${id}"]`);
  await expect(row.locator("td[data-status]")).toHaveText("aborted");
  await expect(row).toContainText("emergency stop by usr-sre");
});
