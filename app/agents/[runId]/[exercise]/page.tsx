// An exercise as an agent played it in a benchmark run: its post-incident review (the agent's timeline
// beside the hidden truth, and the score), as the benchmark kept it.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { labConfig } from "@/app/portal-connections.ts";
import { openPage } from "@/app/page-access.tsx";
import { readAgentBenchReview } from "@/lib/exercises/agent-bench-records.ts";
import { PAGES } from "@/lib/portal/portal-pages.ts";
import { renderRunbook } from "@/lib/runbooks/runbook-html.ts";

export const metadata: Metadata = { title: "An agent's exercise" };
export const dynamic = "force-dynamic";

export default async function AgentExercisePage({ params }: { params: Promise<{ runId: string; exercise: string }> }) {
  const { runId, exercise } = await params;
  const { refusal } = await openPage(PAGES.agentExercise, `/agents/${runId}/${exercise}`);
  if (refusal) return refusal;
  const review = readAgentBenchReview(labConfig().dataDir, runId, exercise);
  if (review === null) notFound();
  // The runbooks' renderer: our own Markdown to HTML, raw HTML shown as text.
  const { html } = renderRunbook(exercise, review);
  return (
    <>
      <p className="breadcrumb">
        <a href="/agents">Agents</a> / <a href={`/agents/${runId}`}>{runId}</a> / {exercise}
      </p>
      <article className="runbook" dangerouslySetInnerHTML={{ __html: html }} />
    </>
  );
}
