// The on-call persona, the player of an exercise (ADR 0023): the portal offers what a real on-call person
// has (the overview, SLOs, the audit, telemetry, runbooks) and none of the lab's controls, and its API
// refuses them too; the overview shows the lab without the drills under way, and the On call page its levers.
import { expect, test } from "@playwright/test";
import { seriousViolations } from "./accessibility.ts";
import { signInAs } from "./personas.ts";

test("the on-call persona sees the lab as an on-call person does, and none of its controls", async ({ page }) => {
  await signInAs(page, "Olive Demo (on call)", "/");
  await expect(page.getByTestId("signed-in-as")).toHaveText("usr-oncall (oncall)");
  const nav = page.getByRole("navigation", { name: "Main" }).getByRole("link");
  await expect(nav).toHaveText(["Overview", "My dashboard", "SLOs", "On call", "Audit", "Telemetry", "Runbooks"]);
  await expect(page.getByRole("heading", { name: "Lab processes" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Active drills" })).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);

  for (const path of ["/drills", "/scenarios", "/traffic"]) {
    await page.goto(path);
    await expect(page.locator("section[role=alert]"), path).toContainText("for SREs, instructors and admins; you are signed in as an on-call engineer.");
  }
  for (const path of ["/api/drills/runs", "/api/drills/catalog", "/api/scenarios/runs", "/api/traffic"])
    expect((await page.request.get(path)).status(), path).toBe(403);
  expect((await page.request.get("/api/slos/patient-view-record-availability/history")).status()).toBe(200);

  await page.goto("/runbooks/levers");
  await expect(page.getByRole("heading", { name: "Levers", level: 1 })).toBeVisible();

  // The On call page offers the levers, with no exercise under way too, and nothing of the controls.
  await page.goto("/exercise");
  const levers = page.locator('[data-panel="levers"]');
  expect(await levers.locator("[data-lever]").evaluateAll((es) => es.map((e) => e.getAttribute("data-lever")))).toEqual([
    "restart-process",
    "resume-process",
    "roll-back-config",
    "end-blocking-session",
    "resume-event-pipeline",
    "redrive-dead-letters",
    "shed-traffic",
    "stop-shedding",
    "stop-traffic",
  ]);
  expect(await levers.innerText()).not.toMatch(/\b(drills?|leases?|faults?|scenarios?|injected)\b|traffic profile/i);
  await expect(levers.getByRole("button", { name: "Restart clinical", exact: true })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});
