import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSloDirectory } from "./load-slos.ts";
import { OBSERVABILITY_DIR, observabilityFiles } from "./observability-files.ts";

const root = join(import.meta.dirname, "../..");

describe("deploy/observability", () => {
  it("holds exactly the rules and dashboards slo/ generates (else: npm run slo:generate)", () => {
    const wanted = observabilityFiles(loadSloDirectory(join(root, "slo"), root));
    const dir = join(root, OBSERVABILITY_DIR);
    const present = ["rules", "dashboards"].flatMap((sub) => readdirSync(join(dir, sub)).map((f) => `${sub}/${f}`));
    expect(present.sort()).toEqual([...wanted.keys()].sort());
    for (const [path, text] of wanted) expect(readFileSync(join(dir, path), "utf8"), `${path} is stale: run npm run slo:generate`).toBe(text);
  });

  it("gives each dashboard a burn-rate panel per tier against that tier's factor", () => {
    const [slo] = loadSloDirectory(join(root, "slo"), root);
    const dashboard = JSON.parse(observabilityFiles([slo!]).get(`dashboards/${slo!.name}.json`)!) as {
      panels: { title: string; fieldConfig: { defaults: { thresholds?: { steps: { value: number | null }[] } } } }[];
    };
    for (const tier of slo!.tiers) {
      const panel = dashboard.panels.find((p) => p.title.startsWith(`${tier.name}:`));
      expect(panel?.fieldConfig.defaults.thresholds?.steps.at(-1)?.value).toBe(tier.factor);
    }
  });
});
