// The traffic page on the running lab: an instructor sees the simulator's journeys and switches the
// profile with the page's form; the page has no serious accessibility violations.
import { expect, test } from "@playwright/test";
import { seriousViolations } from "./accessibility.ts";
import { signInAs } from "./personas.ts";

test("an instructor sees the lab's traffic per journey and switches its profile from the page", async ({ page }) => {
  await signInAs(page, "Indra Demo (instructor)", "/traffic");
  await expect(page.getByTestId("traffic-state")).toContainText("journeys in");
  await expect(page.getByRole("table", { name: "Journeys of the running profile" }).locator("tbody tr").first()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole("combobox", { name: "Profile" }).selectOption("overnight-batch");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("traffic-state")).toContainText("overnight-batch", { timeout: 15_000 });
  await page.getByRole("combobox", { name: "Profile" }).selectOption("steady-demo");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("traffic-state")).toContainText("steady-demo", { timeout: 15_000 });
});
