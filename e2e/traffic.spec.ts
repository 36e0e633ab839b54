// The traffic page on the running lab: an instructor sees the simulator's journeys and switches the
// profile with the page's form; the page has no serious accessibility violations.
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { signInAs } from "./personas.ts";

test("an instructor sees the lab's traffic per journey and switches its profile from the page", async ({ page }) => {
  await signInAs(page, "Indra Demo (instructor)", "/traffic");
  await expect(page.getByTestId("traffic-state")).toContainText("journeys in");
  await expect(page.getByRole("table", { name: "Journeys of the running profile" }).locator("tbody tr").first()).toBeVisible();
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  await page.getByRole("combobox", { name: "Profile" }).selectOption("overnight-batch");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("traffic-state")).toContainText("overnight-batch", { timeout: 15_000 });
  await page.getByRole("combobox", { name: "Profile" }).selectOption("steady-demo");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("traffic-state")).toContainText("steady-demo", { timeout: 15_000 });
});
