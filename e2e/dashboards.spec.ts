// The persona dashboards, the operations overview, telemetry and admin on the running lab, whose simulator
// makes traffic from the start: each persona sees its own side of the lab and only that.
import { expect, test } from "@playwright/test";
import { seriousViolations } from "./accessibility.ts";
import { bearer, supervisorUrl } from "./lab-tokens.ts";
import { signInAs } from "./personas.ts";

test("an SRE's overview shows the processes, drills, SLOs by journey and the event pipeline; the SRE dashboard adds shard health", async ({ page }) => {
  await signInAs(page, "Sam Demo (SRE)", "/");
  await expect(page.locator('table[aria-label="Lab processes"] tr[data-process="gateway"]')).toContainText("ready");
  await expect(page.getByTestId("lab-memory")).toContainText("MB RSS of the");
  await expect(page.locator('[data-panel="active-drills"]')).toBeVisible();
  await expect(page.locator('[data-panel="event-pipeline"] [data-figure="outbox-backlog"]')).toContainText("events unpublished");
  await expect(async () => {
    await page.reload();
    expect(await page.getByRole("table", { name: "SLOs by persona journey" }).locator("tbody tr").count()).toBeGreaterThan(3);
  }).toPass({ timeout: 90_000, intervals: [5000] });

  await page.goto("/dashboard");
  await expect(page.getByRole("heading", { name: "SRE dashboard" })).toBeVisible();
  const shards = page.getByRole("table", { name: "Shard health" }).locator("tbody tr");
  await expect(shards).toHaveCount(4);
  // Each answers reads and takes writes (its write lock taken and let go at once).
  for (let i = 0; i < 4; i++) {
    await expect(shards.nth(i)).toContainText("reachable");
    await expect(shards.nth(i).locator("td").nth(2)).toHaveText("yes");
  }
});

test("a patient's dashboard tells their own timeline and claims; the overview offers them no operations", async ({ page }) => {
  await signInAs(page, "Pat Demo (patient)", "/dashboard");
  await expect(page.getByRole("heading", { name: "My health record" })).toBeVisible();
  await expect(page.locator('[data-panel="timeline"]')).toBeVisible();
  await expect(page.locator('[data-panel="claims"]')).toBeVisible();
  await expect(page.locator('[data-panel="timeline"] .error-state')).toHaveCount(0);
  // The seeded history is in the read model (visits of months ago, not only what happened since the lab
  // started), and the panel says how fresh it is.
  const activity = page.getByRole("list", { name: "Recent activity on your record" });
  await expect(activity.locator('li[data-type="EncounterOpened"]').first()).toBeVisible();
  const oldest = await activity.locator("li time").last().getAttribute("datetime");
  expect(Date.parse(oldest!)).toBeLessThan(Date.now() - 86_400_000);
  await expect(page.locator('[data-panel="timeline"]').getByTestId("as-of")).toContainText(/As of the newest event projected: 20\d\d-/);
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link")).toHaveText(["Overview", "My dashboard", "My record"]);
  await page.goto("/");
  await expect(page.locator('[data-panel="processes"]')).toHaveCount(0);
  await expect(page.getByRole("link", { name: "My dashboard" }).last()).toBeVisible();
});

test("a clinician's dashboard counts their facility's seeded patients; billing sees the claims pipeline; neither sees the other's", async ({ page }) => {
  await signInAs(page, "Dr. Casey Demo (clinician)", "/dashboard");
  await expect(page.getByRole("heading", { name: "Clinic floor" })).toBeVisible();
  await expect(page.locator('[data-panel="census"] .error-state')).toHaveCount(0);
  // 400 patients were seeded over 12 facilities: the census counts the seeded ones, not only new events.
  expect(Number((await page.locator('[data-figure="patients"]').innerText()).replace(/,/g, ""))).toBeGreaterThan(10);
  await expect(page.locator('[data-panel="census"]').getByTestId("as-of")).toContainText(/As of the newest event projected: 20\d\d-/);
  await expect(page.locator('[data-panel="open-encounters"]')).toBeVisible();
  await expect(page.getByTestId("denial-rate")).toHaveCount(0);

  await page.context().clearCookies();
  await signInAs(page, "Bailey Demo (billing admin)", "/dashboard");
  await expect(page.getByRole("heading", { name: "Claims desk" })).toBeVisible();
  await expect(page.getByTestId("denial-rate")).toContainText("Denial rate:");
  await expect(page.getByRole("table", { name: "Claims by status" }).locator("tbody tr")).toHaveCount(5);
  await expect(page.locator('[data-panel="census"]')).toHaveCount(0);
});

test("telemetry lists recent requests and opens one as a waterfall with its logs; a bad trace id is named", async ({ page }) => {
  await signInAs(page, "Sam Demo (SRE)", "/telemetry");
  const first = page.getByRole("table", { name: "Recent requests" }).locator("tbody tr").first().getByRole("link");
  await expect(async () => {
    await page.reload();
    await expect(first).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 60_000, intervals: [3000] });
  await first.click();
  await expect(page).toHaveURL(/\/telemetry\/[0-9a-f]{32}$/);
  const waterfall = page.getByRole("table", { name: "Trace waterfall" });
  await expect(waterfall.locator('tr[data-service="gateway"]').first()).toBeVisible();
  const logs = page.getByRole("table", { name: "Logs of this trace" });
  await expect(logs).toContainText("gateway");
  await expect(logs).toContainText("route=");
  expect(await seriousViolations(page)).toEqual([]);
  // The configured Grafana stack: the trace in Tempo and its logs in Loki, through Grafana's Explore.
  const traceId = page.url().split("/").pop()!;
  expect(decodeURIComponent((await page.getByRole("link", { name: "open in Tempo" }).getAttribute("href"))!)).toContain(`"query":"${traceId}"`);
  expect(await page.getByRole("link", { name: "logs in Loki" }).getAttribute("href")).toMatch(/^http:\/\/grafana\.lab\.invalid:3000\/explore\?/);
  await page.goto("/slos/clinician-record-diagnosis-latency");
  expect(await page.getByTestId("grafana-links").getByRole("link").getAttribute("href")).toBe(
    "http://grafana.lab.invalid:3000/d/pimlab-clinician-record-diagnosis-latenc?from=now-24h&to=now&var-datasource=prometheus",
  );

  await page.goto("/telemetry?traceId=not-a-trace");
  await expect(page.locator("p.error-state")).toContainText("is not one");
  expect((await page.goto("/telemetry/0123"))?.status()).toBe(404);
});

test("the admin sees the shard map and locates a patient; an SRE is refused the admin page", async ({ page }) => {
  await signInAs(page, "Alex Demo (lab admin)", "/admin");
  const map = page.getByRole("table", { name: "Shard map" }).locator("tbody tr");
  await expect(map).toHaveCount(4);
  await expect(map.first().locator("td").first()).toHaveText("256");
  await page.getByLabel("Patient id").fill("pat-e2e-somebody");
  await page.getByRole("button", { name: "Locate" }).click();
  await expect(page.getByTestId("patient-location")).toContainText(/pat-e2e-somebody hashes to bucket \d+, owned by shard-\d \(active\)/);

  // A data job from the page: five more synthetic patients, run by the supervisor, its progress shown.
  const generate = page.getByRole("form", { name: "Generate synthetic patients" });
  await generate.getByLabel("Patients to add").fill("5");
  await generate.getByLabel("Seed").fill("901");
  await generate.getByRole("button", { name: "Generate" }).click();
  const row = page.getByRole("table", { name: "Data jobs" }).locator("tbody tr").first();
  await expect(row.getByRole("rowheader")).toHaveText("generate 5 patients (seed 901)");
  await expect(row).toHaveAttribute("data-state", "succeeded", { timeout: 60_000 });
  await expect(row.locator("td").last()).toContainText(/lab:generate seed 901: 5 patients written|5\/5 patients/);

  await page.context().clearCookies();
  await signInAs(page, "Sam Demo (SRE)", "/");
  await page.goto("/admin");
  await expect(page.getByRole("heading", { name: "Not for your role" })).toBeVisible();
  // Nor may an SRE start a generation behind the page's back; a replay is theirs to run.
  const sre = await bearer("sre");
  const jobs = `${supervisorUrl}/_lab/jobs`;
  const refused = await page.request.post(jobs, { headers: sre, data: { kind: "generate", patients: 5, seed: 1 } });
  expect(refused.status()).toBe(403);
  const bad = await page.request.post(jobs, { headers: sre, data: { kind: "replay", since: "forever" } });
  expect(await bad.json()).toMatchObject({ status: 400, field: "since" });
});
