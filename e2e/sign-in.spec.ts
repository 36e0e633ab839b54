// Persona sign-in on the running lab: the picker lists the lab's demo personas, signing in shows who you
// are, and the portal's API then acts as that persona (the lab's services check the role).
import { expect, test } from "@playwright/test";
import { seriousViolations } from "./accessibility.ts";
import { signInAs } from "./personas.ts";

test("the sign-in page lists the seven demo personas and has no serious accessibility violations", async ({ page }) => {
  await page.goto("/sign-in");
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expect(page.locator(".persona-list button")).toHaveCount(7);
  expect(await seriousViolations(page)).toEqual([]);
});

test("an instructor signs in and drives the lab's traffic through the portal's API as themself", async ({ page }) => {
  await signInAs(page, "Indra Demo (instructor)");
  await expect(page.getByTestId("signed-in-as")).toHaveText("usr-instructor (instructor)");
  const traffic = await page.request.get("/api/traffic");
  expect(traffic.status()).toBe(200);
  expect((await traffic.json()).profiles.map((p: { name: string }) => p.name)).toContain("peak-clinic");
  const dry = await page.request.post("/api/drills/dry-run", { data: { drill: "service-latency", params: { service: "clinical" }, durationSeconds: 60 } });
  expect(dry.status()).toBe(200);
});

test("a signed-in patient is refused the lab's traffic and drill controls", async ({ page }) => {
  await signInAs(page, "Pat Demo (patient)");
  await expect(page.getByTestId("signed-in-as")).toHaveText("usr-patient (patient)");
  expect((await page.request.get("/api/traffic")).status()).toBe(403);
  expect(
    (await page.request.post("/api/drills/dry-run", { data: { drill: "service-latency", params: { service: "clinical" }, durationSeconds: 60 } })).status(),
  ).toBe(403);
});

test("a persona signs out: the session ends and the portal says so", async ({ page }) => {
  await signInAs(page, "Sam Demo (SRE)");
  // A sign-out posted from another site is refused, and the session stays.
  const forged = await page.request.post("/sign-out", { headers: { origin: "https://elsewhere.example" }, maxRedirects: 0 });
  expect(forged.status()).toBe(403);
  expect((await page.request.get("/api/traffic")).status()).toBe(200);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in\?signedOut=portal$/);
  await expect(page.getByTestId("signed-out")).toHaveText("You are signed out of the portal.");
  await expect(page.getByTestId("signed-in-as")).toHaveCount(0);
  expect((await page.request.get("/api/traffic")).status()).toBe(401);
});
