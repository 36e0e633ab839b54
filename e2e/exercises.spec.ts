// Two on-call exercises played in Chromium by an instructor and an on-call player, each in a browser of
// their own: the instructor starts the exercise and sees its hidden truth; the player reads only the
// briefing (no page they reach shows the fault), acts and pulls a lever through /exercise (its Levers panel
// calls the lab as them); the instructor ends it and both see the score. One is played right (100 points),
// one wrong.
import { type Browser, type Page, expect, test } from "@playwright/test";
import { seriousViolations } from "./accessibility.ts";
import { HIDDEN, endRunningExercises } from "./exercise-runs.ts";
import { bearer, gatewayUrl } from "./lab-tokens.ts";
import { signInAs } from "./personas.ts";
import { shot } from "./shots.ts";

// A test that fails midway leaves no exercise under way for the next.
test.afterEach(endRunningExercises);

async function personaPage(browser: Browser, display: string, path: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, display, path);
  return page;
}

async function startAs(instructor: Page, title: string): Promise<string> {
  await instructor.goto("/exercises");
  await instructor.getByRole("button", { name: new RegExp(`^Start ${title}`) }).click();
  // Starting switches the simulator's traffic to the exercise's: the running journeys finish first.
  await expect(instructor).toHaveURL(/\/exercises\/exr-[a-z0-9-]+$/, { timeout: 30_000 });
  await expect(instructor.getByTestId("exercise-status")).toContainText("running");
  await expect(instructor.getByRole("table", { name: "Hidden faults" })).toContainText(/\d\d:\d\d:\d\d/, { timeout: 20_000 }); // injected
  return instructor.url().split("/").at(-1)!;
}

async function act(player: Page, form: string, fill: Record<string, string> = {}): Promise<void> {
  const f = player.getByRole("form", { name: form });
  for (const [label, value] of Object.entries(fill)) {
    const field = f.getByLabel(label);
    if ((await field.evaluate((e) => e.tagName)) === "SELECT") await field.selectOption({ label: value });
    else await field.fill(value);
  }
  await f.getByRole("button").click();
  await expect(player.getByRole("list", { name: "Your acts" })).toBeVisible();
}

/** Pulls a lever from the Levers panel on `target`: the button says the lever and the target chosen. */
async function pullLever(player: Page, lever: string, target: string, button: string): Promise<void> {
  const form = player.getByRole("form", { name: lever });
  await form.getByRole("combobox").selectOption({ label: target });
  await form.getByRole("button", { name: button, exact: true }).click();
  await expect(player.getByTestId("lever-outcome")).toBeVisible({ timeout: 20_000 });
}

/** Waits for a whole minute of the SLO's traffic, all good, after `since` (what "mitigated" asks). */
async function goodMinuteAfter(slo: string, since: number): Promise<void> {
  const sre = await bearer("sre");
  await expect(async () => {
    const res = await fetch(`${gatewayUrl}/_lab/slos/${slo}/history?minutes=10`, { headers: sre });
    const { history } = (await res.json()) as { history: { points: { at: string; requests: number; bad: number }[] } };
    expect(history.points.some((p) => Date.parse(p.at) - 60_000 > since && p.requests > 0 && p.bad === 0)).toBe(true);
  }).toPass({ timeout: 200_000, intervals: [5_000] });
}

test("an exercise played right: the player finds clinical failing records, rolls it back, and scores 100", async ({ browser }) => {
  test.setTimeout(360_000);
  const instructor = await personaPage(browser, "Indra Demo (instructor)", "/exercises");
  await shot(instructor, "exercises");
  const runId = await startAs(instructor, "Quick records");
  await expect(instructor.getByTestId("hidden-truth")).toContainText("the clinical service, errors");
  await shot(instructor, "exercise-instructor");

  const player = await personaPage(browser, "Olive Demo (on call)", "/exercise");
  await expect(player.getByTestId("briefing")).toContainText("Patients say their records do not open");
  expect(await seriousViolations(player)).toEqual([]);
  await shot(player, "exercise-player");
  // Every page the player reaches, while the fault is on, shows the symptom and nothing of its cause.
  for (const path of [
    "/exercise",
    "/",
    "/dashboard",
    "/slos",
    "/slos/patient-view-record-availability",
    "/telemetry?errors=true",
    "/audit?source=control",
    "/runbooks/clinical",
  ]) {
    await player.goto(path);
    const text = await player.locator("main").innerText();
    for (const mark of HIDDEN) expect(text, `${path} shows ${mark}`).not.toMatch(mark);
  }
  expect((await player.request.get(`/api/exercises/runs/${runId}`)).status()).toBe(403);

  await player.goto("/exercise");
  await player.getByRole("button", { name: "Acknowledge the page" }).click();
  await act(player, "Declare an incident", { "Incident summary": "patients cannot open their records" });
  await act(player, "Diagnose", { "What is at fault": "the clinical service", "Fault class": "errors", Notes: "503s on GET /patients/:patientId" });
  await expect(player.getByRole("list", { name: "Your acts" })).toContainText("diagnosis: the clinical service, errors");
  // The lever: roll clinical back, as runbooks/levers.md says, from the panel (the supervisor's API, as the player).
  await pullLever(player, "Roll back a service's configuration", "clinical", "Roll back clinical's configuration");
  const pulledAt = Date.now();
  await expect(player.getByTestId("lever-outcome")).toHaveText("Rolled back clinical's configuration");
  expect(await seriousViolations(player)).toEqual([]);
  await player.locator('[data-panel="levers"]').screenshot({ path: "test-results/screenshots/exercise-levers.png" });
  await shot(player, "exercise-lever-pulled");
  await goodMinuteAfter("patient-view-record-availability", pulledAt);

  await instructor.reload();
  await expect(instructor.getByRole("list", { name: "The player's acts" })).toContainText("usr-oncall: diagnosis: the clinical service, errors");
  await instructor.getByRole("button", { name: "End the exercise" }).click();
  await expect(instructor.getByTestId("score-points")).toHaveText("100 / 100");
  await expect(instructor.getByTestId("score-mitigated")).toContainText("yes");
  await shot(instructor, "exercise-scored");
  await player.goto("/exercise");
  await expect(player.getByTestId("truth")).toContainText("the clinical service, errors");
  await expect(player.getByTestId("score-points")).toHaveText("100 / 100");
  await shot(player, "exercise-debrief");
  const review = await player.request.get(`/api/exercises/runs/${runId}/review?format=markdown`);
  expect(await review.text()).toContain("**100 / 100.** Right diagnosis; mitigated");
});

test("an exercise played wrong: the player blames clinical, restarts it, takes a hint, and scores low", async ({ browser }) => {
  test.setTimeout(180_000);
  const instructor = await personaPage(browser, "Indra Demo (instructor)", "/exercises");
  await startAs(instructor, "Quick claims");
  const player = await personaPage(browser, "Olive Demo (on call)", "/exercise");
  await expect(player.getByTestId("briefing")).toContainText("claims queue keeps failing");
  await player.getByRole("button", { name: "Acknowledge the page" }).click();
  await act(player, "Diagnose", { "What is at fault": "the clinical service", "Fault class": "latency" });
  await pullLever(player, "Restart a process", "clinical", "Restart clinical");
  await expect(player.getByTestId("lever-outcome")).toHaveText(/^Restarted clinical \(pid \d+\)$/);

  await instructor.getByRole("form", { name: "Give a hint" }).getByLabel("Hint").fill("which journeys burn?");
  await instructor.getByRole("button", { name: "Give the hint" }).click();
  await expect(instructor.getByRole("list", { name: "Hints given" })).toContainText("which journeys burn?");
  await player.reload();
  await expect(player.getByRole("list", { name: "Hints" })).toContainText("which journeys burn?");

  await instructor.getByRole("button", { name: "End the exercise" }).click();
  // The page answered (15), a wrong diagnosis, no mitigation, a hint (-5) and a lever on the wrong target (-5).
  await expect(instructor.getByTestId("score-points")).toHaveText("5 / 100");
  await expect(instructor.getByTestId("score-diagnosis")).toContainText("entity wrong, class wrong");
  await player.goto("/exercise");
  await expect(player.getByTestId("truth")).toContainText("the billing service, errors");
  await expect(player.getByTestId("score-points")).toHaveText("5 / 100");
  await shot(player, "exercise-debrief-wrong");
});
