// What npm run slo:generate writes under deploy/observability/: a rules file and a Grafana dashboard per
// SLO. One function builds them, so the generator and the test that keeps them current agree.
import { sloDashboard } from "./grafana-dashboard.ts";
import type { SloDefinition } from "./load-slos.ts";
import { rulesFile } from "./prometheus-rules.ts";

export const OBSERVABILITY_DIR = "deploy/observability";

/** Path (relative to deploy/observability) -> content. */
export function observabilityFiles(slos: readonly SloDefinition[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const slo of slos) {
    files.set(`rules/${slo.name}.yaml`, rulesFile([slo]));
    files.set(`dashboards/${slo.name}.json`, `${JSON.stringify(sloDashboard(slo), null, 2)}\n`);
  }
  return files;
}
