// Signing in as one of the lab's demo personas through the portal's picker, as a person would.
import type { Page } from "@playwright/test";

export async function signInAs(page: Page, displayName: string, then = "/"): Promise<void> {
  await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(then)}`);
  await page.getByRole("button", { name: displayName }).click();
  await page.waitForURL((url) => url.pathname === then);
}
