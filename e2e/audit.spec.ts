// Audit search on the running lab: a clinician's write (on a shard) and an operator's traffic change (on the
// control database) are found by their request ids; the SRE sees the patient's synthetic PHI masked on the
// page and in the CSV export; a patient is refused, on the page and at the API; bad input is a 400.
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { type APIRequestContext, expect, test } from "@playwright/test";
import { MASKED_PATIENT, patientRegistration } from "../test/support/clinical-writes.ts";
import { seriousViolations } from "./accessibility.ts";
import { bearer, gatewayUrl } from "./lab-tokens.ts";
import { signInAs } from "./personas.ts";
import { shot } from "./shots.ts";

const suffix = randomUUID().slice(0, 8);
const familyName = `Quartermain${suffix.replace(/\d/g, "x")}`;

/** A patient registered through the gateway with a request id of ours: an entry on the patient's shard. */
async function registerPatient(request: APIRequestContext, requestId: string) {
  const res = await request.post(`${gatewayUrl}/patients`, {
    headers: { ...(await bearer("clinician")), "x-request-id": requestId },
    data: patientRegistration(`E2E-${suffix}`, { ...MASKED_PATIENT, familyName }),
  });
  expect(res.status(), await res.text()).toBe(201);
}

test("an SRE finds a clinician's write by its request id with the patient's PHI masked, on a page without serious accessibility violations", async ({
  page,
  request,
}) => {
  const requestId = `e2e-audit-${suffix}`;
  await registerPatient(request, requestId);
  await signInAs(page, "Sam Demo (SRE)", "/audit");
  await expect(page.getByRole("heading", { name: "Audit", exact: true })).toBeVisible();
  await page.getByLabel("Request id").fill(requestId);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(new RegExp(`requestId=${requestId}`));
  const row = page.getByRole("table", { name: "Audit entries" }).locator(`tr[data-request-id="${requestId}"]`);
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("patient.register");
  await expect(row).toContainText(/shard \d/);
  await row.getByText(/create · \d+ fields/).click();
  await expect(row).toContainText("givenName: [redacted]");
  await expect(page.locator("main")).not.toContainText(familyName);
  await expect(page.getByRole("table", { name: "Audit chain verification" }).locator('tr[data-chain="control"]')).toContainText("intact", { timeout: 15_000 });
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, "audit-search");

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^audit-\d{4}-\d{2}-\d{2}T\d{6}Z\.csv$/);
  const csv = readFileSync((await download.path())!, "utf8");
  const [header, line, ...rest] = csv.split("\r\n");
  expect(header).toBe("occurredAt,source,sequence,actorId,actorRole,action,entityType,entityId,patientId,requestId,traceId,outcome,details,operation,changes");
  expect(rest).toEqual([""]);
  expect(line).toContain(`,patient.register,Patient,`);
  expect(line).toContain(requestId);
  expect(line).toContain('""givenName"",""before"":null,""after"":""[redacted]""');
  expect(csv).not.toMatch(new RegExp(`Zelda|${familyName}|Hidden Lane|Riverton`));
});

test("an operator's traffic change is found in the control log by its request id, at the API too", async ({ page, request }) => {
  const requestId = `e2e-traffic-${suffix}`;
  const put = await request.put("/api/traffic", { headers: { ...(await bearer("instructor")), "x-request-id": requestId }, data: { profile: "steady-demo" } });
  expect(put.status()).toBe(200);
  const api = await request.get(`/api/audit?requestId=${requestId}`, { headers: await bearer("sre") });
  expect(api.status()).toBe(200);
  const body = await api.json();
  expect(body.items.map((i: { source: string; action: string }) => [i.source, i.action])).toContainEqual(["control", "traffic.start"]);
  await signInAs(page, "Sam Demo (SRE)", "/audit");
  await page.getByLabel("Request id").fill(requestId);
  await page.getByLabel("Source").selectOption("control");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.locator(`tr[data-request-id="${requestId}"]`).first()).toContainText("control");
});

test("a patient is refused the audit logs on the page and at the API, and bad input is a 400 naming the field", async ({ page, request }) => {
  await page.goto("/audit");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=(%2F|\/)audit$/);
  await signInAs(page, "Pat Demo (patient)", "/audit");
  await expect(page.locator("section[role=alert]")).toContainText(
    "The audit logs are for SREs, on-call engineers, instructors and admins; you are signed in as a patient.",
  );
  expect((await request.get("/api/audit")).status()).toBe(401);
  for (const path of ["/api/audit", "/api/audit/export"]) {
    const refused = await request.get(path, { headers: await bearer("patient") });
    expect(refused.status()).toBe(403);
    expect(refused.headers()["content-type"]).toContain("application/problem+json");
  }
  const sre = await bearer("sre");
  for (const [query, field] of [
    ["limit=0", "limit"],
    ["from=yesterday", "from"],
    ["cursor=bm9wZQ", "cursor"],
    ["colour=red", "colour"],
  ]) {
    const bad = await request.get(`/api/audit?${query}`, { headers: sre });
    expect(bad.status(), query).toBe(400);
    expect(await bad.json()).toMatchObject({ status: 400, field });
  }
});
