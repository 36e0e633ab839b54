// The runbooks: one per SLO's alerts (a section per tier), one per part of the lab, and the levers they
// point to. The same files as docs/runbooks, read on every request so an edit shows without a rebuild.
import type { Metadata } from "next";
import { openPage } from "@/app/page-access.tsx";
import { Panel } from "@/components/panel.tsx";
import { PAGES } from "@/lib/portal/portal-pages.ts";
import { type RunbookEntry, runbookIndex } from "@/lib/runbooks/lab-runbooks.ts";
import { runbookPath } from "@/lib/runbooks/runbook-paths.ts";

export const metadata: Metadata = { title: "Runbooks" };
export const dynamic = "force-dynamic";

function RunbookList({ label, entries }: { label: string; entries: RunbookEntry[] }) {
  return (
    <ul aria-label={label}>
      {entries.map((e) => (
        <li key={e.name}>
          <a href={runbookPath(e.name)}>{e.title}</a> <code>{e.name}</code>
        </li>
      ))}
    </ul>
  );
}

export default async function RunbooksPage() {
  const { refusal } = await openPage(PAGES.runbooks, "/runbooks");
  if (refusal) return refusal;
  const index = runbookIndex(process.cwd());
  return (
    <>
      <h1>Runbooks</h1>
      <p className="subtitle">What to check and what to do when the lab pages you: every alert links its SLO&apos;s runbook, at the section of its tier.</p>
      <Panel id="alerts" title="Alerts">
        <RunbookList label="Runbooks of the SLOs' alerts" entries={index.alerts} />
      </Panel>
      <Panel id="parts" title="Parts of the lab">
        <RunbookList label="Runbooks of the lab's parts" entries={index.parts} />
      </Panel>
      <Panel id="guides" title="Levers and conventions">
        <RunbookList label="Guides" entries={index.guides} />
      </Panel>
    </>
  );
}
