// How the portal shows drill runs: which are live (acting on the lab now or soon), how long each has left,
// what each touches, and the history. Pure: `now` is passed in.
import { processOf } from "../drills/drill-catalog.ts";
import type { DrillRun } from "../drills/drill-runs.ts";

export type LivePhase = "running" | "scheduled" | "kept";

/** Why a run is live, or null once it no longer acts on the lab (a kept rollout lives until its deadline). */
export function livePhase(run: DrillRun, nowMs: number): LivePhase | null {
  if (run.status === "running" || run.status === "scheduled") return run.status;
  if (run.kept && (!run.deadlineAt || Date.parse(run.deadlineAt) > nowMs)) return "kept";
  return null;
}

export function liveRuns(runs: readonly DrillRun[], nowMs: number): (DrillRun & { phase: LivePhase })[] {
  return runs.flatMap((r) => {
    const phase = livePhase(r, nowMs);
    return phase ? [{ ...r, phase }] : [];
  });
}

/** Ended runs, newest first (the engine lists newest first; sorting again keeps the page honest). */
export function runHistory(runs: readonly DrillRun[], limit = 50): DrillRun[] {
  return runs
    .filter((r) => r.status !== "running" && r.status !== "scheduled")
    .sort((a, b) => startOf(b).localeCompare(startOf(a)))
    .slice(0, limit);
}

/** What is left of a live run, in words: until its end, its start, or its kept change's deadline. */
export function timeLeft(run: DrillRun, nowMs: number): string {
  const phase = livePhase(run, nowMs);
  const until = (iso: string | null) => (iso ? Math.max(0, Math.ceil((Date.parse(iso) - nowMs) / 1000)) : null);
  switch (phase) {
    case "running": {
      const s = until(run.endsAt);
      return s === null ? "starting" : s === 0 ? "ending" : `${formatSeconds(s)} left`;
    }
    case "scheduled": {
      const s = until(run.scheduledFor);
      return s === null ? "scheduled" : `starts in ${formatSeconds(s)}`;
    }
    case "kept": {
      const s = until(run.deadlineAt);
      return s === null ? "kept" : `kept for ${formatSeconds(s)} more`;
    }
    default:
      return "ended";
  }
}

/** `75` -> "1 min 15 s"; `3600` -> "1 h". */
export function formatSeconds(total: number): string {
  const s = Math.round(total);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  const parts = [h ? `${h} h` : "", m ? `${m} min` : "", rest || s === 0 ? `${rest} s` : ""].filter(Boolean);
  return parts.join(" ");
}

/** What a run acts on: each step's target once applied, else the process its action names. */
export function targetsOf(run: Pick<DrillRun, "steps">): string[] {
  return [...new Set(run.steps.map((s) => s.target ?? processOf(s.action)))];
}

/** `2026-11-23T14:02:05.123Z` -> "2026-11-23 14:02:05 UTC"; a missing time: "-". */
export function utc(iso: string | null): string {
  return iso ? `${iso.replace("T", " ").slice(0, 19)} UTC` : "-";
}

function startOf(r: DrillRun): string {
  return r.startedAt ?? r.scheduledFor ?? "";
}
