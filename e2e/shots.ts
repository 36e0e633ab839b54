// Screenshots the browser tests save of the pages they pass (test-results/screenshots/<name>.png).
import { mkdirSync } from "node:fs";
import type { Page } from "@playwright/test";

const SHOTS = "test-results/screenshots";

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}
