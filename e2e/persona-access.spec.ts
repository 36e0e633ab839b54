// Persona access on the running lab, through the portal's pages and its API: a patient cannot open another
// patient's record (the page refuses and the API answers 403 without saying whether it exists); a
// clinician of the same facility reads it in full; an SRE reads it with the PHI-like fields masked.
import { expect, type Page, test } from "@playwright/test";
import { seriousViolations } from "./accessibility.ts";
import { bearer, gatewayUrl } from "./lab-tokens.ts";
import { signInAs } from "./personas.ts";

/** Pat's own id and facility, as the patient's record page shows them. */
async function patsRecord(page: Page): Promise<{ patientId: string; facilityId: string }> {
  await signInAs(page, "Pat Demo (patient)", "/");
  await page.goto("/me");
  await expect(page).toHaveURL(/\/patients\/pat-[A-Za-z0-9-]+$/);
  const subtitle = await page.locator(".subtitle").first().innerText();
  const m = /Synthetic patient (pat-[A-Za-z0-9-]+) · .* · facility (fac-[0-9]+)/.exec(subtitle);
  expect(m, subtitle).not.toBeNull();
  return { patientId: m![1]!, facilityId: m![2]! };
}

/** Another patient of the same facility, found by an SRE's search at the gateway. */
async function neighbourOf(own: { patientId: string; facilityId: string }): Promise<string> {
  const res = await fetch(`${gatewayUrl}/patients?facilityId=${own.facilityId}&limit=10`, { headers: await bearer("sre") });
  expect(res.status).toBe(200);
  const other = ((await res.json()) as { items: { id: string }[] }).items.find((p) => p.id !== own.patientId);
  expect(other, "a second patient at Pat's facility").toBeDefined();
  return other!.id;
}

test("a patient opens their own record but not another patient's, neither the page nor the API", async ({ page }) => {
  const own = await patsRecord(page);
  await expect(page.getByTestId("patient-name")).not.toContainText("[redacted]");
  const other = await neighbourOf(own);

  await page.goto(`/patients/${other}`);
  await expect(page.getByRole("heading", { name: "No record you may open" })).toBeVisible();
  await expect(page.locator("section.error-state")).toContainText(`Your own record is at /patients/${own.patientId}`);
  await expect(page.getByTestId("patient-name")).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);
  for (const path of [other, `${other}/encounters`, `${other}/claims`]) {
    expect((await page.request.get(`/api/patients/${path}`)).status(), path).toBe(403);
  }
  expect((await page.request.get(`/api/patients/${own.patientId}`)).status()).toBe(200);
  // Nothing beyond the three record routes is forwarded.
  expect((await page.request.get(`/api/patients/${own.patientId}/medications`)).status()).toBe(404);
});

test("an SRE reads a patient's record with the PHI-like fields masked; the clinician of the facility reads them in full", async ({ browser }) => {
  const patient = await (await browser.newContext()).newPage(); // a context of its own: axe needs one
  const own = await patsRecord(patient);
  const other = await neighbourOf(own);
  await patient.context().close();

  const sre = await (await browser.newContext()).newPage();
  await signInAs(sre, "Sam Demo (SRE)", "/");
  await sre.goto(`/patients/${other}`);
  await expect(sre.getByTestId("patient-name")).toHaveText("[redacted] [redacted]");
  for (const field of ["addressLine", "city", "postalCode"]) await expect(sre.locator(`dd[data-field="${field}"]`)).toHaveText("[redacted]");
  expect(await seriousViolations(sre)).toEqual([]);
  const masked = await (await sre.request.get(`/api/patients/${other}`)).json();
  expect(masked).toMatchObject({ id: other, givenName: "[redacted]", familyName: "[redacted]", addressLine: "[redacted]" });
  expect(JSON.stringify(masked)).not.toMatch(/"birthDate":"\d{4}-\d\d-\d\d"/);
  await sre.context().close();

  const clinician = await (await browser.newContext()).newPage();
  await signInAs(clinician, "Dr. Casey Demo (clinician)", "/");
  await clinician.goto(`/patients/${other}`);
  await expect(clinician.getByTestId("patient-name")).not.toContainText("[redacted]");
  await expect(clinician.locator('dd[data-field="city"]')).not.toHaveText("[redacted]");
  await clinician.context().close();
});
