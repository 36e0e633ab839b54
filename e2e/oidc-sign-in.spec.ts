// Sign-in through an OpenID Connect provider (the lab's e2e provider, e2e/support/oidc-provider.ts): the
// code flow with PKCE runs through the real browser; the ID token's role claims make the session; a person
// without a lab role is sent back and told why.
import { expect, test } from "@playwright/test";

test("a clinician signs in at the identity provider and lands on their dashboard as that clinician", async ({ page }) => {
  await page.goto("/sign-in?callbackUrl=%2Fdashboard");
  await page.getByRole("button", { name: "Sign in with Lab test IdP" }).click();
  await expect(page.getByRole("heading", { name: "Sign in to the lab test identity provider" })).toBeVisible();
  await page.getByRole("link", { name: "Dr. Ida Provider" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("signed-in-as")).toHaveText("idp-ida (clinician)");
  await expect(page.getByRole("heading", { name: "Clinic floor" })).toBeVisible();
  await expect(page.getByText("Facility fac-0001")).toBeVisible();
  // The session's actor is the provider's: the lab answers the portal's API as this clinician.
  expect((await page.request.get("/api/traffic")).status()).toBe(403);
});

test("an account the lab cannot place is refused at sign-in with the reason, and gets no session", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in with Lab test IdP" }).click();
  await page.getByRole("link", { name: "Nora Norole" }).click();
  await expect(page).toHaveURL(/\/sign-in\?error=NoLabRole/);
  await expect(page.getByTestId("sign-in-error")).toContainText("the lab cannot place you: the identity provider gave no lab role");
  await expect(page.getByTestId("signed-in-as")).toHaveCount(0);
});
