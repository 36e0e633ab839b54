import { describe, expect, it } from "vitest";
import { checkRunbooks, deadPortalLink, type RunbookSubjects } from "./runbook-check.ts";
import { headingSlug, outlineOf } from "./runbook-outline.ts";

const subjects: RunbookSubjects = {
  slos: [{ name: "find-latency", tiers: ["page-fast", "ticket-slow"] }],
  components: ["clinical"],
  pageRoutes: ["/", "/slos", "/slos/[name]", "/telemetry", "/audit"],
  repoFileExists: (path) => path === "docs/adr/0001-a.md",
};

const levers = `# Levers\n\n## Mitigations\n\n### Restart a process\n\nPOST it.\n`;
const clinical = `# Clinical

## Symptoms
Saves fail.

## Checks
1. The [overview](/) shows its restarts; the [failed requests](/telemetry?errors=true) name a route.

## Mitigations
- [Restart it](levers.md#restart-a-process).

## Escalation
See [the ADR](../adr/0001-a.md).
`;
const findLatency = `# Finding a patient is slow

## Alert tiers
### page-fast
Act now.
### ticket-slow
Within the day.

## Symptoms
Searches take seconds.

## Checks
1. [The SLO](/slos/find-latency), then [clinical's checks](clinical.md#checks).

## Mitigations
[Restart clinical](levers.md#restart-a-process).

## Escalation
The [instructor](#escalation).
`;
const healthy = () =>
  new Map([
    ["levers", levers],
    ["clinical", clinical],
    ["find-latency", findLatency],
  ]);

describe("the runbook check", () => {
  it("passes runbooks that cover every alert tier and part, and whose links all lead somewhere", () => {
    expect(checkRunbooks(healthy(), subjects)).toEqual([]);
  });

  it("fails when an SLO's alerts have no runbook, naming the file to write", () => {
    const runbooks = healthy();
    runbooks.delete("find-latency");
    expect(checkRunbooks(runbooks, subjects)).toEqual([
      { file: "docs/runbooks/find-latency.md", line: 0, message: expect.stringContaining("no runbook for the alerts of SLO find-latency") },
    ]);
  });

  it("fails when a tier or a standard section is missing from the runbook", () => {
    const runbooks = healthy();
    runbooks.set("find-latency", findLatency.replace("### ticket-slow", "### later").replace("## Escalation", "## Who else"));
    expect(checkRunbooks(runbooks, subjects).map((p) => p.message)).toEqual([
      expect.stringContaining("no section #ticket-slow"),
      expect.stringContaining("no section #escalation"),
      // The same-file link to #escalation now leads nowhere too.
      expect.stringContaining("names no heading #escalation"),
    ]);
  });

  it("fails on a dead link to a portal page, an SLO, a runbook, a heading, a file, or out of the lab, at its line", () => {
    const runbooks = healthy();
    const broken = clinical.replace(
      "## Escalation\nSee [the ADR](../adr/0001-a.md).",
      [
        "## Escalation",
        "- [dashboards](/grafana)",
        "- [an SLO](/slos/no-such-slo)",
        "- [a runbook](billing.md#checks)",
        "- [a heading](find-latency.md#page-slow)",
        "- [a file](../adr/0099-gone.md)",
        "- [the web](https://example.org/runbook)",
        "- [a runbook page](/runbooks/billing)",
      ].join("\n"),
    );
    runbooks.set("clinical", broken);
    const problems = checkRunbooks(runbooks, subjects).filter((p) => p.file === "docs/runbooks/clinical.md");
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [13, "the link to /grafana is not a page of the portal (lib/portal/portal-pages.ts lists them)"],
      [14, "the link to /slos/no-such-slo names no SLO (slo/*.yaml has no no-such-slo)"],
      [15, "the link to billing.md#checks names no runbook (there is no docs/runbooks/billing.md)"],
      [16, "the link to find-latency.md#page-slow names no heading #page-slow in docs/runbooks/find-latency.md"],
      [17, "the link to ../adr/0099-gone.md names no file (there is no docs/adr/0099-gone.md)"],
      [18, "the link to https://example.org/runbook leaves the lab, which runs offline: link a portal page or a runbook"],
      [19, "the link to /runbooks/billing names no runbook billing"],
    ]);
  });

  it("fails a runbook whose checks lead into no view of the portal, or whose mitigations pull no lever", () => {
    const runbooks = healthy();
    runbooks.set(
      "clinical",
      clinical.replace(/1\. The \[overview\].*\n/, "1. Look around.\n").replace("[Restart it](levers.md#restart-a-process)", "Restart it"),
    );
    expect(checkRunbooks(runbooks, subjects).map((p) => [p.line, p.message])).toEqual([
      [6, expect.stringContaining("its checks link no view of the portal")],
      [9, expect.stringContaining("its mitigations link no lever")],
    ]);
  });

  it("resolves an alert's runbook link to a runbook and its tier's heading", () => {
    expect(deadPortalLink("/runbooks/find-latency#page-fast", healthy(), subjects)).toBeNull();
    expect(deadPortalLink("/runbooks/find-latency#page-slow", healthy(), subjects)).toMatch(/names no heading #page-slow/);
  });
});

describe("a runbook's outline", () => {
  it("gives headings GitHub's anchors, numbering repeats, and places each link in its section and line", () => {
    const outline = outlineOf("# Title\n\n## Checks\n\ntext\n\n## Checks\n\n| a | b |\n|---|---|\n| [x](/slos) | y |\n");
    expect(outline.headings.map((h) => [h.slug, h.line])).toEqual([
      ["title", 1],
      ["checks", 3],
      ["checks-1", 7],
    ]);
    expect(outline.links).toEqual([{ href: "/slos", line: 11, section: "checks-1" }]);
    expect(headingSlug("Roll back a service's configuration")).toBe("roll-back-a-services-configuration");
  });
});
