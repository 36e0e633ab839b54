import { expect, test } from "@playwright/test";
import { signInAs } from "./personas.ts";

// The portal's RUM collector on the running lab: a Faro payload from the portal's own origin is kept,
// one from elsewhere or of the wrong shape is refused with a problem body naming the field.
const traceId = "5b8efff798038103d269b633813fc60c";
const payload = {
  meta: { app: { name: "pim-portal" }, session: { id: "e2e-session" }, page: { url: "/" } },
  measurements: [{ type: "web-vitals", values: { lcp: 912 }, timestamp: new Date().toISOString(), trace: { trace_id: traceId, span_id: "eee19b7ec3c1b174" } }],
  traces: {
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: [
              {
                traceId,
                spanId: "eee19b7ec3c1b174",
                name: "documentLoad",
                kind: 1,
                startTimeUnixNano: "1795516800000000000",
                endTimeUnixNano: "1795516800400000000",
              },
            ],
          },
        ],
      },
    ],
  },
};

test("POST /api/rum keeps a same-origin Faro payload and refuses others", async ({ request, baseURL }) => {
  const ok = await request.post("/api/rum", { data: payload, headers: { origin: baseURL! } });
  expect(ok.status(), await ok.text()).toBe(202);
  expect(await ok.json()).toEqual({ accepted: { events: 1, spans: 1 } });

  const foreign = await request.post("/api/rum", { data: payload, headers: { origin: "https://elsewhere.example" } });
  expect(foreign.status()).toBe(403);
  expect((await foreign.json()).field).toBe("origin");

  const malformed = await request.post("/api/rum", {
    data: { ...payload, measurements: [{ type: "web-vitals", values: { lcp: "slow" }, timestamp: "now" }] },
    headers: { origin: baseURL! },
  });
  expect(malformed.status()).toBe(400);
  expect((await malformed.json()).field).toBe("measurements.0.values.lcp");
});

test("the portal's pages report themselves through Faro, and their API calls carry a traceparent to the lab", async ({ page }) => {
  test.setTimeout(90_000);
  const slo = "/slos/clinician-record-diagnosis-availability";
  // Faro loads at idle on each page, so the sign-in page reports too: wait for the SLO page's own report,
  // after which Faro's fetch instrumentation is in place on that page.
  const fromSloPage = (body: string | null) => {
    try {
      return String(JSON.parse(body ?? "{}").meta?.page?.url ?? "").includes(slo);
    } catch {
      return false;
    }
  };
  const kept = page.waitForResponse((r) => r.url().endsWith("/api/rum") && r.request().method() === "POST" && fromSloPage(r.request().postData()), {
    timeout: 45_000,
  });
  await signInAs(page, "Sam Demo (SRE)", slo);
  const rum = await kept;
  expect(rum.status()).toBe(202);
  // The SLO detail refreshes its history every 15 s; the next refresh carries the trace context.
  const refresh = await page.waitForRequest((r) => r.url().includes(`/api${slo}/history`), { timeout: 30_000 });
  expect(refresh.headers().traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
});
