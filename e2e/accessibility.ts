// The accessibility check every browser test applies to the pages it visits: axe-core's serious and
// critical violations, each with where it is, so a failure says what to fix.
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";

const SEVERE = new Set(["serious", "critical"]);

export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => SEVERE.has(v.impact ?? ""))
    .map(
      (v) =>
        `${new URL(page.url()).pathname}: ${v.id} (${v.impact}): ${v.help} at ${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 3)
          .join("; ")}`,
    );
}
