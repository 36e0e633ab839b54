// The SLO board on the running lab, whose simulator makes traffic from the start: every SLO with its
// budget for the roles that read operations; a sign-in first for anyone else; a refusal for a patient.
import { expect, test } from "@playwright/test";
import { seriousViolations } from "./accessibility.ts";
import { signInAs } from "./personas.ts";

test("an SRE sees every SLO of the lab with its budget left, and the page has no serious accessibility violations", async ({ page }) => {
  await signInAs(page, "Sam Demo (SRE)", "/slos");
  await expect(page.getByRole("heading", { name: "SLOs", exact: true })).toBeVisible();
  const rows = page.getByRole("table", { name: "SLO board" }).locator("tbody tr");
  await expect(rows).toHaveCount(23);
  await expect(page.locator('tr[data-slo="clinician-record-diagnosis-availability"] td[data-budget]')).toContainText("%");
  expect(await seriousViolations(page)).toEqual([]);
});

test("the SLO board asks who you are first, and refuses a patient", async ({ page }) => {
  await page.goto("/slos");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=(%2F|\/)slos$/);
  await signInAs(page, "Pat Demo (patient)", "/slos");
  await expect(page.locator("section[role=alert]")).toContainText(
    "The SLO board is for SREs, on-call engineers, instructors and admins; you are signed in as a patient.",
  );
});

test("an SLO's detail shows its tiers, budget and burn charts against the other side, and its alert history, accessibly", async ({ page }) => {
  await signInAs(page, "Sam Demo (SRE)", "/slos");
  await page.getByRole("link", { name: "A clinician records a diagnosis: requests succeed (server)" }).click();
  await expect(page).toHaveURL(/\/slos\/clinician-record-diagnosis-availability$/);
  await expect(page.getByTestId("slo-state")).toContainText("clinician/record-diagnosis · server side · 99.9 % over 30 d");
  await expect(page.getByRole("table", { name: "Burn-rate tiers" }).locator("tbody tr")).toHaveCount(4);
  await expect(
    page
      .getByRole("img", { name: /^Error budget left over the last 180 minutes/ })
      .locator("svg.recharts-surface")
      .first(),
  ).toBeVisible();
  await expect(page.locator(".recharts-legend-item-text", { hasText: "client side" }).first()).toBeVisible();
  await page.getByRole("button", { name: /^page-slow/ }).click();
  await expect(page.getByRole("button", { name: /^page-slow/ })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByRole("heading", { name: "Alert history" })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  expect((await page.request.get("/api/slos/no-such-slo/history")).status()).toBe(404);
  expect((await page.request.get("/api/slos/clinician-record-diagnosis-availability/other")).status()).toBe(404);
});

test("each tier of an SLO links its runbook at that tier's section, whose links open the part of the lab's runbook and the levers", async ({ page }) => {
  await signInAs(page, "Sam Demo (SRE)", "/slos/clinician-record-diagnosis-latency");
  await page.getByRole("link", { name: "Runbook for page-slow" }).click();
  await expect(page).toHaveURL(/\/runbooks\/clinician-record-diagnosis-latency#page-slow$/);
  await expect(page.locator("article.runbook h3#page-slow")).toBeVisible();
  await expect(page.locator("article.runbook h2#checks")).toBeVisible();
  await page.locator("article.runbook").locator('a[href^="/runbooks/levers#"]').first().click();
  await expect(page).toHaveURL(/\/runbooks\/levers#/);
  await expect(page.getByRole("heading", { name: "Levers", level: 1 })).toBeVisible();
  await page.goto("/runbooks");
  await expect(page.getByRole("list", { name: "Runbooks of the SLOs' alerts" }).getByRole("listitem")).toHaveCount(23);
  await expect(page.getByRole("list", { name: "Runbooks of the lab's parts" }).getByRole("listitem")).toHaveCount(11);
  expect((await page.goto("/runbooks/no-such-runbook"))?.status()).toBe(404);
  expect((await page.goto("/runbooks/..%2F..%2Fpackage.json"))?.status()).toBe(404);
});
