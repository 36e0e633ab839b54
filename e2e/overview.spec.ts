import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";

test("the overview lists every shard with its buckets and row counts, adding up to the seeded lab", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Lab overview" })).toBeVisible();
  const table = page.getByRole("table", { name: "Rows per shard" });
  const rows = table.locator("tbody tr");
  await expect(rows).toHaveCount(4);
  for (let shard = 0; shard < 4; shard++) {
    const row = table.locator(`tr[data-shard="${shard}"]`);
    await expect(row.getByRole("rowheader")).toHaveText(`shard-${shard}`);
    await expect(row.locator("td").first()).toHaveText("256");
    const patients = Number((await row.locator('td[data-table="patients"]').innerText()).replace(/,/g, ""));
    expect(patients).toBeGreaterThan(50);
  }
  // 400 patients were seeded for this run (playwright.config.ts), and the simulator's clinicians register
  // more while the lab runs; the footer sums the shards.
  const perShard = await Promise.all(
    [0, 1, 2, 3].map(async (shard) => Number((await table.locator(`tr[data-shard="${shard}"] td[data-table="patients"]`).innerText()).replace(/,/g, ""))),
  );
  const total = Number((await table.locator('td[data-total="patients"]').innerText()).replace(/,/g, ""));
  expect(total).toBe(perShard.reduce((a, b) => a + b, 0));
  expect(total).toBeGreaterThanOrEqual(400);
  const encounters = Number((await table.locator('td[data-total="encounters"]').innerText()).replace(/,/g, ""));
  expect(encounters).toBeGreaterThan(400);
  await expect(page.locator('dd[data-count="users"]')).toHaveText("7");
});

test("the overview has no detectable accessibility violations", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("table", { name: "Rows per shard" })).toBeVisible();
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
});

test("the health endpoint reports every shard reachable", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ status: "ok", shards: 4 });
});
