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

test("signing out of the portal ends the provider's session too: the next sign-in asks at the provider again", async ({ page }) => {
  const signInAtProvider = async () => {
    await page.goto("/sign-in?callbackUrl=%2F");
    await page.getByRole("button", { name: "Sign in with Lab test IdP" }).click();
  };
  await signInAtProvider();
  await page.getByRole("link", { name: "Oscar Oncall" }).click();
  await expect(page.getByTestId("signed-in-as")).toHaveText("idp-oscar (sre)");
  // While the provider's session lives it signs the person straight back in, without its login page ...
  await signInAtProvider();
  // (The sign-in page already names the person: wait for the round trip to land on its callback, or the
  // click below races the redirects and is lost with the page it was on.)
  await expect(page).toHaveURL(/^http:\/\/[^/]+\/$/);
  await expect(page.getByRole("heading", { name: "Lab overview" })).toBeVisible();
  await expect(page.getByTestId("signed-in-as")).toHaveText("idp-oscar (sre)");
  // ... until the portal's sign-out ends it there as well.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in\?signedOut=provider$/);
  await expect(page.getByTestId("signed-out")).toHaveText("You are signed out of the portal and of your organisation's account.");
  await expect(page.getByTestId("signed-in-as")).toHaveCount(0);
  await signInAtProvider();
  await expect(page.getByRole("heading", { name: "Sign in to the lab test identity provider" })).toBeVisible();
});
