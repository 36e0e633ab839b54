// One runbook, rendered from docs/runbooks/<name>.md: its headings carry the anchors the alerts link
// (#page-fast ...), its links to other runbooks open them here.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { openPage } from "@/app/page-access.tsx";
import { PAGES } from "@/lib/portal/portal-pages.ts";
import { readRunbook } from "@/lib/runbooks/runbook-html.ts";
import { runbookFile } from "@/lib/runbooks/runbook-paths.ts";

export const metadata: Metadata = { title: "Runbook" };
export const dynamic = "force-dynamic";

export default async function RunbookPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const { refusal } = await openPage(PAGES.runbook, `/runbooks/${name}`);
  if (refusal) return refusal;
  const runbook = readRunbook(process.cwd(), name);
  if (!runbook) notFound();
  return (
    <>
      <p className="breadcrumb">
        <a href="/runbooks">Runbooks</a> / {runbook.name}
      </p>
      {/* Our own Markdown, with raw HTML escaped by the renderer. */}
      <article className="runbook" dangerouslySetInnerHTML={{ __html: runbook.html }} />
      <p className="subtitle">
        From <code>{runbookFile(runbook.name)}</code> in the lab&apos;s repository.
      </p>
    </>
  );
}
