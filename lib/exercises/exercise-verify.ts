// Whether an exercise's signals are real: played on a running lab with nobody at the pager, its expected
// alerts fire within its time limit, counted from its first fault's launch; a no-fault exercise's whole time
// limit passes with no tier firing at all. `npm run exercises:verify` runs the catalog through it, and the
// quiet-lab test the no-fault one.
import { alertsNow } from "../slo/evaluate-slos.ts";
import type { SloReport } from "../slo/slo-status.ts";
import { type Exercise, describeEntity, isNoFault } from "./exercise-catalog.ts";
import { type InstructorView, isOver } from "./exercise-run.ts";

/** What the verification needs of a running lab, as the instructor and the SRE reach it over HTTP. */
export interface VerifiedLab {
  start(exercise: string): Promise<InstructorView>;
  run(id: string): Promise<InstructorView>;
  end(id: string): Promise<void>;
  slos(): Promise<SloReport>;
}

/** The lab as its instructor and an SRE reach it: the drill engine's exercises and the gateway's SLOs. */
export function httpVerifiedLab(o: { drillsUrl: string; gatewayUrl: string; instructorToken: string; sreToken: string }): VerifiedLab {
  const call = async <T>(method: string, url: string, token: string, body?: unknown): Promise<T> => {
    const res = await fetch(url, {
      method,
      signal: AbortSignal.timeout(15_000), // a hung process answers nothing, not even an error
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${(await res.text()).slice(0, 500)}`);
    return (await res.json()) as T;
  };
  const runs = `${o.drillsUrl}/_lab/exercises/runs`;
  return {
    start: (exercise) => call<InstructorView>("POST", runs, o.instructorToken, { exercise }),
    run: (id) => call<InstructorView>("GET", `${runs}/${id}`, o.instructorToken),
    end: async (id) => void (await call("POST", `${runs}/${id}/end`, o.instructorToken)),
    slos: () => call<SloReport>("GET", `${o.gatewayUrl}/_lab/slos`, o.sreToken),
  };
}

export interface FiredAlert {
  slo: string;
  tier: string;
  /** From the first fault's launch to the evaluation that found the tier firing. */
  afterSeconds: number;
}

export interface ExerciseVerdict {
  exercise: string;
  faultClass: string;
  entity: string;
  ok: boolean;
  /** Why not, when not ok. */
  problem: string | null;
  launchedAt: string | null;
  /**
   * Each expected tier, when it fired (null: not within the time limit) and when a look first found it
   * firing: later when the SLOs could not be read meanwhile (a hung gateway's are, until it answers again,
   * and the engine then replays the alert at the minute it would have fired).
   */
  expected: { slo: string; tier: string; afterSeconds: number | null; seenAfterSeconds: number | null }[];
  /** Tiers that fired though the exercise did not name them: shown, not judged (a fault's neighbours burn too). */
  others: FiredAlert[];
  firstAlertAfterSeconds: number | null;
  elapsedSeconds: number;
}

export interface VerifyOptions {
  pollMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  onProgress?: (line: string) => void;
}

/** Every tier that has fired since `sinceMs`, at the start of the minute its first transition to firing was evaluated at. */
export function firedSince(report: SloReport, sinceMs: number): { slo: string; tier: string; atMs: number }[] {
  const out: { slo: string; tier: string; atMs: number }[] = [];
  for (const slo of report.slos) {
    const seen = new Set<string>();
    for (const t of slo.transitions) {
      // The engine evaluates at a minute's start (the minute under way is still being counted).
      const atMs = t.minute * 60_000;
      if (t.to !== "firing" || atMs <= sinceMs || seen.has(t.tier)) continue;
      seen.add(t.tier);
      out.push({ slo: slo.name, tier: t.tier, atMs });
    }
    // An alert firing now whose transition fell out of the report's span still counts, from now.
    for (const a of alertsNow(slo))
      if (a.state === "firing" && !seen.has(a.alert)) out.push({ slo: slo.name, tier: a.alert, atMs: Date.parse(report.evaluatedAt) });
  }
  return out;
}

export async function verifyExercise(lab: VerifiedLab, exercise: Exercise, options: VerifyOptions = {}): Promise<ExerciseVerdict> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const pollMs = options.pollMs ?? 15_000;
  const noFault = isNoFault(exercise);
  const startedAt = now();
  const deadline = startedAt + exercise.timeLimitSeconds * 1000;
  const run = await lab.start(exercise.name);
  const wanted = exercise.truth.expectedAlerts.map((a) => ({
    slo: a.slo,
    tier: a.tier as string,
    afterSeconds: null as number | null,
    seenAfterSeconds: null as number | null,
  }));
  let launchedAt: number | null = null;
  let fired: FiredAlert[] = [];
  let problem: string | null = null;
  let unreadable: string | null = null;
  try {
    for (;;) {
      const view = await lab.run(run.id);
      const failed = view.faults.find((f) => f.error);
      if (failed) {
        problem = `the fault ${failed.drill} did not start: ${failed.error}`;
        break;
      }
      const first = view.faults.map((f) => (f.launchedAt ? Date.parse(f.launchedAt) : Number.POSITIVE_INFINITY)).sort((a, b) => a - b)[0];
      launchedAt = first !== undefined && Number.isFinite(first) ? first : null;
      const since = launchedAt ?? startedAt;
      // A fault may take the SLOs' reader down with it (a hung gateway): as for a person, the next look.
      const report = await lab.slos().catch((err: unknown) => {
        unreadable = `the SLOs could not be read: ${(err as Error).message}`;
        return null;
      });
      if (report) {
        unreadable = null;
        fired = firedSince(report, since).map((f) => ({ slo: f.slo, tier: f.tier, afterSeconds: Math.round((f.atMs - since) / 1000) }));
      }
      for (const w of wanted) {
        w.afterSeconds ??= fired.find((f) => f.slo === w.slo && f.tier === w.tier)?.afterSeconds ?? null;
        if (w.afterSeconds !== null) w.seenAfterSeconds ??= Math.round((now() - since) / 1000);
      }
      if (noFault && fired.length > 0) {
        problem = `a no-fault exercise's lab alerted: ${fired.map((f) => `${f.slo} ${f.tier}`).join(", ")}`;
        break;
      }
      if (!noFault && wanted.every((w) => w.afterSeconds !== null)) break;
      if (now() >= deadline) {
        if (!noFault)
          problem = `not fired within the time limit of ${exercise.timeLimitSeconds} s: ${wanted
            .filter((w) => w.afterSeconds === null)
            .map((w) => `${w.slo} ${w.tier}`)
            .join(", ")}`;
        break;
      }
      const elapsed = Math.round((now() - startedAt) / 1000);
      options.onProgress?.(
        `${exercise.name}: ${elapsed} s of ${exercise.timeLimitSeconds}${launchedAt ? `, fault launched ${Math.round((now() - launchedAt) / 1000)} s ago` : ", fault not yet launched"}; ${
          noFault ? "no alert" : `${wanted.filter((w) => w.afterSeconds !== null).length}/${wanted.length} expected fired`
        }${fired.length > 0 ? ` (firing: ${fired.map((f) => `${f.slo} ${f.tier}`).join(", ")})` : ""}${unreadable ? `; ${unreadable}` : ""}`,
      );
      await sleep(Math.min(pollMs, Math.max(0, deadline - now())));
    }
  } finally {
    // A machine busy with other labs may keep the drill engine from answering within a call's timeout:
    // the end is tried again, and one that never came fails this exercise, not the others beside it.
    const unended = await endRun(lab, run.id);
    if (unended) problem ??= `the run could not be ended: ${unended}`;
  }
  const expectedKeys = new Set(wanted.map((w) => `${w.slo} ${w.tier}`));
  const firstAlert = fired.map((f) => f.afterSeconds).sort((a, b) => a - b)[0] ?? null;
  return {
    exercise: exercise.name,
    faultClass: exercise.truth.faultClass,
    entity: describeEntity(exercise.truth.entity),
    ok: problem === null,
    problem,
    launchedAt: launchedAt === null ? null : new Date(launchedAt).toISOString(),
    expected: wanted,
    others: fired.filter((f) => !expectedKeys.has(`${f.slo} ${f.tier}`)),
    firstAlertAfterSeconds: firstAlert,
    elapsedSeconds: Math.round((now() - startedAt) / 1000),
  };
}

/** Ends the run, up to three tries; null when it ended (or had already), else why not. */
async function endRun(lab: VerifiedLab, id: string): Promise<string | null> {
  let why = "";
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      await lab.end(id);
      return null;
    } catch (err) {
      why = (err as Error).message;
      const run = await lab.run(id).catch(() => null);
      if (run && isOver(run)) return null;
    }
  }
  return why;
}

/** The verdicts as a table for a terminal: each exercise's class, entity, expected alerts with their times, and verdict. */
export function verdictTable(verdicts: readonly ExerciseVerdict[]): string {
  const rows = verdicts.map((v) => [
    v.exercise,
    v.faultClass,
    v.entity,
    v.expected.length === 0
      ? "none"
      : v.expected.map((e) => `${e.slo} ${e.tier} ${e.afterSeconds === null ? "-" : `${e.afterSeconds} s (seen ${e.seenAfterSeconds} s)`}`).join("; "),
    v.firstAlertAfterSeconds === null ? "-" : `${v.firstAlertAfterSeconds} s`,
    v.ok ? "ok" : `FAILED: ${v.problem}`,
  ]);
  const head = ["exercise", "class", "entity", "expected alerts: fired after the fault (a look first saw it)", "first alert", "verdict"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [head, ...rows]
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
