import { defineConfig } from "@playwright/test";
import { NICED_LAB_READY_SECONDS, portEnv, wholeLabPorts } from "./test/support/lab-ports.ts";

// Browser tests run in Debian's Chromium (Playwright's own browser download cannot be reached here)
// against a lab started by `npm run lab`'s entry point on its own port and data directory.
const port = Number(process.env.E2E_PORT ?? 3100);
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// Started through a wrapper that keeps the browser's niceness in its own session (ADR 0031).
const chromiumKeepingNiceness = new URL("./e2e/support/chromium.sh", import.meta.url).pathname;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: "test-results/playwright.json" }]],
  outputDir: "test-results/playwright-artifacts",
  timeout: 60_000,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromiumKeepingNiceness,
      env: { ...process.env, CHROMIUM_PATH: chromium },
      // Without these Chromium keeps dialling Google's hosts, which this closed network refuses.
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    // The golden path runs first, on the young lab: the fast page needs 14.4 % of the hour's traffic bad, which
    // a young lab reaches within a few minutes of slow answers and a lab an hour old only after about nine
    // (the scenario's drill waits for the page either way, but the test's timeouts are set for a young lab).
    { name: "golden-path", testMatch: /golden-path\.spec\.ts$/, use: { browserName: "chromium" } },
    { name: "chromium", testIgnore: /golden-path\.spec\.ts$/, dependencies: ["golden-path"], use: { browserName: "chromium" } },
  ],
  webServer: [
    {
      // The identity provider the portal's OIDC sign-in goes to (e2e/support/oidc-provider.ts).
      command: `node_modules/.bin/tsx e2e/support/oidc-provider-main.ts ${port + 9} http://127.0.0.1:${port}`,
      url: `http://127.0.0.1:${port + 9}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 180_000,
    },
    {
      command: "node_modules/.bin/tsx scripts/lab.ts",
      url: `http://127.0.0.1:${port}/api/health`,
      // The portal answers before the rest of the lab is up (its health is the supervisor's probe for it
      // alone): the tests start once the lab says every process is ready, as a user would.
      wait: { stdout: /lab: ready in/ },
      reuseExistingServer: false,
      timeout: (NICED_LAB_READY_SECONDS + 60) * 1000,
      // The lab's processes run in process groups of their own (ADR 0010): the supervisor must be asked to stop
      // them, not killed with its group.
      gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
      stdout: "pipe",
      env: {
        LAB_DATA_DIR: ".lab/e2e",
        ...portEnv(wholeLabPorts(port)),
        LAB_SEED_PATIENTS: "400",
        LAB_SEED: "7",
        // A shorter warm-up than npm run lab's 30 s: the browser tests start as soon as the lab is ready,
        // and the golden path's drill needs the counted traffic going.
        LAB_WARMUP_SECONDS: "10",
        LAB_READY_TIMEOUT_SECONDS: String(NICED_LAB_READY_SECONDS),
        // Short exercises (a few minutes each) for the browser tests that play them; npm run lab has exercises/.
        LAB_EXERCISES_DIR: "test/fixtures/exercises",
        // A Grafana stack "configured" (nothing answers there): the pages must link into it at the right place.
        GRAFANA_URL: "http://grafana.lab.invalid:3000",
        TEMPO_URL: "http://tempo.lab.invalid:3200",
        LOKI_URL: "http://loki.lab.invalid:3100",
        LAB_OIDC_ISSUER: `http://127.0.0.1:${port + 9}`,
        LAB_OIDC_CLIENT_ID: "pim-portal-e2e",
        LAB_OIDC_CLIENT_SECRET: "e2e-client-secret-0123456789",
        LAB_OIDC_NAME: "Lab test IdP",
      },
    },
  ],
});
