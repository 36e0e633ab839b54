// A lab start is not an incident. Processes that have just started share two cores with the others still
// starting, and their first requests are slow for reasons no user would meet; counted, they open the SLO
// pages on a burning budget. So the simulator's traffic that counts starts only once every process of the
// lab answers ready and every journey has been walked for a while by warm-up users, whose requests the
// gateway counts apart (labelled warm-up, never in a journey's SLIs: lib/auth tokens carry the label, and
// only the lab's own key can set it). The start is an annotation on the SLO charts, as drills are.

/** Waits until every URL answers 2xx (each lab process's readiness); false if `timeoutMs` passes first. */
export async function waitForLabReady(
  readyUrls: readonly string[],
  options: { timeoutMs?: number; pollMs?: number; fetch?: typeof fetch } = {},
): Promise<{ ready: boolean; waitedMs: number; notReady: string[] }> {
  const started = Date.now();
  const deadline = started + (options.timeoutMs ?? 180_000);
  const get = options.fetch ?? fetch;
  let pending = [...readyUrls];
  for (;;) {
    const answers = await Promise.all(
      pending.map((url) =>
        get(url, { signal: AbortSignal.timeout(2_000) }).then(
          (r) => r.ok,
          () => false,
        ),
      ),
    );
    pending = pending.filter((_, i) => !answers[i]);
    if (pending.length === 0) return { ready: true, waitedMs: Date.now() - started, notReady: [] };
    if (Date.now() >= deadline) return { ready: false, waitedMs: Date.now() - started, notReady: pending };
    await new Promise((r) => setTimeout(r, options.pollMs ?? 500));
  }
}

/** The lab-start annotation's words: how long the start took and what warmed up, for the SLO charts. */
export function labStartTitle(s: { fromLabStart: boolean; waitedMs: number; warmUpSeconds: number; warmUpJourneys: number; notReady: string[] }): string {
  const what = s.fromLabStart ? "lab start" : "traffic warm-up";
  const waited = s.notReady.length > 0 ? `; still not ready after ${Math.round(s.waitedMs / 1000)} s: ${s.notReady.join(", ")}` : "";
  return `${what}: ${s.warmUpJourneys} warm-up journeys in ${s.warmUpSeconds} s, not counted toward the SLOs${waited}`;
}
