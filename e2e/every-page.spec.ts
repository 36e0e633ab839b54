// Every page of the portal, as each persona reaches it from the navigation, in both themes where it
// matters: it answers 200, axe-core finds no serious or critical violation, and a screenshot is saved.
import { expect, type Page, test } from "@playwright/test";
import { seriousViolations } from "./accessibility.ts";
import { signInAs } from "./personas.ts";
import { shot } from "./shots.ts";

async function checkPage(page: Page, path: string, name: string): Promise<string[]> {
  const res = await page.goto(path);
  expect(res?.status(), path).toBe(200);
  await page.waitForLoadState("networkidle").catch(() => undefined); // live pages keep polling; settle what can
  if (path.startsWith("/slos/")) await page.locator("svg.recharts-surface").first().waitFor();
  await shot(page, name);
  return seriousViolations(page);
}

/** The pages a persona's navigation offers, plus the ones reached from them. */
async function navigationOf(page: Page): Promise<string[]> {
  return page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link")
    .evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
}

/** A page's load, settle and axe scan take up to 15 s on a busy machine (npm test plays exercises beside). */
const PAGE_BUDGET_MS = 15_000;

const PERSONAS: [display: string, slug: string, extra: string[]][] = [
  [
    "Sam Demo (SRE)",
    "sre",
    ["/slos/clinician-record-diagnosis-latency", "/drills/service-latency", "/runbooks/clinician-record-diagnosis-latency", "/runbooks/levers"],
  ],
  ["Olive Demo (on call)", "oncall", ["/runbooks/levers"]],
  ["Indra Demo (instructor)", "instructor", []],
  ["Alex Demo (lab admin)", "admin", []],
  ["Pat Demo (patient)", "patient", []],
  ["Dr. Casey Demo (clinician)", "clinician", []],
  ["Bailey Demo (billing admin)", "billing", []],
];

for (const [display, slug, extra] of PERSONAS) {
  test(`every page the ${slug} reaches serves, is saved as a screenshot, and has no serious accessibility violation`, async ({ page }) => {
    await signInAs(page, display, "/");
    const pages = [...new Set([...(await navigationOf(page)), ...extra])];
    expect(pages.length).toBeGreaterThan(1);
    test.setTimeout(30_000 + pages.length * PAGE_BUDGET_MS);
    const violations: string[] = [];
    for (const path of pages) violations.push(...(await checkPage(page, path, `${slug}${path === "/" ? "-overview" : path.replaceAll("/", "-")}`)));
    expect(violations).toEqual([]);
  });
}

test("the sign-in page and the dark theme pass the same checks", async ({ page }) => {
  test.setTimeout(30_000 + 5 * PAGE_BUDGET_MS); // the sign-in page and four in the dark theme
  expect(await checkPage(page, "/sign-in", "sign-in")).toEqual([]);
  await signInAs(page, "Sam Demo (SRE)", "/");
  await page.getByRole("button", { name: /^Theme: system/ }).click(); // system -> light
  await page.getByRole("button", { name: /^Theme: light/ }).click(); // light -> dark
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  const violations: string[] = [];
  for (const [path, name] of [
    ["/", "dark-overview"],
    ["/dashboard", "dark-dashboard"],
    ["/slos", "dark-slos"],
    ["/audit", "dark-audit"],
  ] as const)
    violations.push(...(await checkPage(page, path, name)));
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark"); // kept across pages
  expect(violations).toEqual([]);
});
