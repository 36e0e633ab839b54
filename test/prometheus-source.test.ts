// The SLOs read from Debian's real Prometheus, scraping the real gateway and evaluating the generated
// rules, against the same SLOs evaluated by the engine over the gateway's rollups: the same traffic gives
// the same burn rates and budget through both sources, and Prometheus fires the fast page.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labSigningKey } from "../lib/auth/tokens.ts";
import type { SqlDatabase } from "../lib/data/sql-database.ts";
import { loadSloDirectory } from "../lib/slo/load-slos.ts";
import { openTelemetryStore } from "../lib/telemetry/telemetry-store.ts";
import { type SloReportSource, embeddedSloSource, prometheusSloSource } from "../lib/slo/slo-sources.ts";
import { type LocalPrometheus, prometheusConfig, startLocalPrometheus } from "../lib/telemetry/local-prometheus.ts";
import { type ServiceStack, caller, listen, personaTokens, startServiceStack } from "./support/service-harness.ts";
import { createTestLab, type TestLab } from "./support/test-labs.ts";
import { waitUntil } from "./support/wait-until.ts";

const root = join(import.meta.dirname, "..");
const SECRET = "integration-test-secret-0123456789";
const key = labSigningKey(SECRET);
const available = process.env.LAB_TEST_PROMTOOL !== "unavailable";
const slos = loadSloDirectory(join(root, "slo"), root);
const UNDER_TEST = "clinician-record-diagnosis-availability-client";

describe.skipIf(!available)("SLOs read from a real Prometheus and from the embedded rollups", () => {
  let t: TestLab;
  let store: SqlDatabase;
  let services: ServiceStack;
  let prometheus: LocalPrometheus;
  let dir: string;
  let embedded: SloReportSource;
  let fromPrometheus: SloReportSource;

  beforeAll(async () => {
    t = await createTestLab("sqlite", { secret: SECRET });
    store = await openTelemetryStore(t.config);
    services = await startServiceStack(t.lab, key, { slis: { store, slos } });
    const gatewayUrl = new URL(await listen(services.gateway));
    dir = mkdtempSync(join(tmpdir(), "pimlab-prometheus-"));
    // The generated rules as they ship, but evaluated every 2 s instead of every minute, and the fast page
    // held 10 s instead of 2 minutes before it fires (test/promtool-rules.test.ts holds those 2 minutes), so
    // the test need not wait on the clock; the expressions are unchanged.
    const shipped = readFileSync(join(root, "deploy/observability/rules", `${UNDER_TEST}.yaml`), "utf8");
    expect(shipped.match(/for: 2m$/gm)).toHaveLength(1);
    const rules = shipped.replace("interval: 1m", "interval: 2s").replace(/for: 2m$/m, "for: 10s");
    writeFileSync(join(dir, "rules.yaml"), rules);
    const port = 19_090 + (process.pid % 500);
    prometheus = await startLocalPrometheus({
      binary: t.config.prometheus.binary,
      dir,
      port,
      config: prometheusConfig({ targets: [{ name: "gateway", address: gatewayUrl.host }], ruleFiles: [join(dir, "rules.yaml")], scrapeIntervalSeconds: 1 }),
    });
    const only = slos.filter((s) => s.name === UNDER_TEST);
    embedded = embeddedSloSource(store, only);
    fromPrometheus = prometheusSloSource(prometheus.url, only);
  }, 60_000);
  afterAll(async () => {
    await prometheus?.stop();
    await services?.close();
    await store?.close();
    await t?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("gives the same burn rates and budget through both sources for the same traffic, and Prometheus fires the 14.4x page", async () => {
    const call = caller(services.gateway, await personaTokens(key, "pat-none"));
    // Prometheus must have seen the counters at zero before the traffic, as it would in a running lab.
    await waitUntil(
      async () => ((await fetch(`${prometheus.url}/api/v1/query?query=up`).then((r) => r.json())) as { data: { result: unknown[] } }).data.result.length > 0,
      20_000,
    );
    await new Promise((r) => setTimeout(r, 2500));
    // 1,000 clinician/record-diagnosis journeys as the simulator's users saw them, exactly 1 in 10 failed,
    // dated in the last complete minute so the engine counts them now.
    const at = new Date((Math.floor(Date.now() / 60_000) - 1) * 60_000 + 30_000).toISOString();
    const outcomes = Array.from({ length: 1000 }, (_, i) => ({ journey: "clinician/record-diagnosis", at, ok: i % 10 !== 0, latencyMs: 100 }));
    expect((await call("instructor", "POST", "/_lab/slis", { outcomes })).statusCode).toBe(202);
    await call("sre", "GET", "/_lab/slos"); // flushes the rollups

    const burnOf = (report: Awaited<ReturnType<SloReportSource["report"]>>) => report.slos.find((s) => s.name === UNDER_TEST)!;
    // Wait for a scrape and an evaluation that saw all 1,000.
    await waitUntil(async () => Math.abs(burnOf(await fromPrometheus.report(new Date())).tiers[0]!.shortBurnRate - 100) < 1, 30_000);
    const viaPrometheus = burnOf(await fromPrometheus.report(new Date()));
    const viaEngine = burnOf(await embedded.report(new Date()));
    // 10 % bad against a 0.1 % allowance: 100x on every window, and 99 budgets spent.
    for (const [i, tier] of viaEngine.tiers.entries()) {
      expect(tier.longBurnRate).toBeCloseTo(100, 6);
      expect(tier.shortBurnRate).toBeCloseTo(100, 6);
      expect(viaPrometheus.tiers[i]!.longBurnRate).toBeCloseTo(tier.longBurnRate, 6);
      expect(viaPrometheus.tiers[i]!.shortBurnRate).toBeCloseTo(tier.shortBurnRate, 6);
      expect(viaPrometheus.tiers[i]!.conditionMet).toBe(tier.conditionMet);
    }
    expect(viaEngine.budgetRemaining).toBeCloseTo(-99, 6);
    expect(viaPrometheus.budgetRemaining).toBeCloseTo(viaEngine.budgetRemaining, 6);
    const [engineGroup, promGroup] = [(await embedded.report(new Date())).groups[0]!, (await fromPrometheus.report(new Date())).groups[0]!];
    expect(promGroup.tiers[0]!.shortBurnRate).toBeCloseTo(engineGroup.tiers[0]!.shortBurnRate, 6);

    // Pending first, then firing in Prometheus once its `for` (10 s here) has passed.
    await waitUntil(async () => burnOf(await fromPrometheus.report(new Date())).tiers[0]!.state === "pending", 20_000);
    await waitUntil(async () => burnOf(await fromPrometheus.report(new Date())).tiers[0]!.state === "firing", 60_000);
    const firing = (await (await fetch(`${prometheus.url}/api/v1/alerts`)).json()) as { data: { alerts: { labels: Record<string, string>; state: string }[] } };
    expect(firing.data.alerts.find((a) => a.state === "firing" && a.labels.burnrate_tier === "page-fast")?.labels).toMatchObject({
      slo: UNDER_TEST,
      severity: "page",
      factor: "14.4",
    });
  }, 150_000);
});
