// What the browser tests that play exercises share: what would give an exercise's hidden fault away on
// anything the player reads, and ending any exercise a failed test left under way.
import { bearer, drillsUrl } from "./lab-tokens.ts";

/** Marks of quick-records' hidden fault (its drill, run ids, rule id, the word for it). */
export const HIDDEN = [/error-burst/, /drl-[a-z0-9]/, /drill-errors/, /injected/i, /Error burst/];

/** Ends every exercise still running or resolving, so the next test starts on a quiet lab. */
export async function endRunningExercises(): Promise<void> {
  const instructor = await bearer("instructor");
  const { runs } = (await (await fetch(`${drillsUrl}/_lab/exercises/runs`, { headers: instructor })).json()) as { runs: { id: string; status: string }[] };
  for (const r of runs.filter((r) => r.status === "running" || r.status === "resolving"))
    await fetch(`${drillsUrl}/_lab/exercises/runs/${r.id}/end`, { method: "POST", headers: instructor });
}
