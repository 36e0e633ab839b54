import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { loadSloDirectory } from "../slo/load-slos.ts";
import { observabilityFiles } from "../slo/observability-files.ts";
import { RULES_PORTAL_ORIGIN } from "../slo/prometheus-rules.ts";
import { checkRunbooks, deadPortalLink } from "./runbook-check.ts";
import { labRunbookSubjects, readRunbooks } from "./lab-runbooks.ts";

const root = join(import.meta.dirname, "../..");

describe("the lab's runbooks (docs/runbooks)", () => {
  it("cover every alert tier of every SLO and every part of the lab, and every link in them leads somewhere", () => {
    const problems = checkRunbooks(readRunbooks(root), labRunbookSubjects(root));
    expect(problems.map((p) => `${p.file}:${p.line}: ${p.message}`)).toEqual([]);
  });

  it("are what every generated alerting rule's runbook_url points at, a tier's own heading", () => {
    const runbooks = readRunbooks(root);
    const subjects = labRunbookSubjects(root);
    const urls: string[] = [];
    for (const [path, text] of observabilityFiles(loadSloDirectory(join(root, "slo"), root))) {
      if (!path.startsWith("rules/")) continue;
      const { groups } = parse(text) as { groups: { rules: { alert?: string; annotations?: { runbook_url?: string } }[] }[] };
      for (const rule of groups.flatMap((g) => g.rules).filter((r) => r.alert)) urls.push(rule.annotations?.runbook_url ?? "(none)");
    }
    expect(urls.length).toBe(subjects.slos.reduce((n, s) => n + s.tiers.length, 0));
    const dead = urls.filter((u) => !u.startsWith(RULES_PORTAL_ORIGIN) || deadPortalLink(u.slice(RULES_PORTAL_ORIGIN.length), runbooks, subjects) !== null);
    expect(dead).toEqual([]);
  }, 30_000); // it generates every SLO's rules: 4 s on an idle machine
});
