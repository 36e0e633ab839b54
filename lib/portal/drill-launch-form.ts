// The rest of a drill's launch form around its params: how long, how to roll back, when to start, when to
// abort. Reads a submitted form into the engine's launch body (lib/drills/drill-request.ts DrillLaunch)
// and points an engine problem's field at the control that holds it. Pure, like schema-form.
import { type FormField, type FormLike, fieldForProblem, numberOr, readParams } from "./schema-form.ts";

/** Abort-condition rows the form offers (the engine takes up to 20; two cover a page and a budget floor). */
export const ABORT_ROWS = 2;

export type AbortKind = "burn-rate" | "budget" | "alert";

export interface LaunchBody {
  drill: string;
  params: Record<string, unknown>;
  durationSeconds?: number | string;
  abortWhen: Record<string, unknown>[];
  rollback?: string;
  schedule?: Record<string, unknown>;
}

/** The launch body from a submitted form; what cannot be read as its type goes on as typed, for the engine to name. */
export function readLaunch(drill: string, fields: readonly FormField[], form: FormLike): LaunchBody {
  const duration = value(form, "durationSeconds");
  const rollback = value(form, "rollback");
  const schedule = readSchedule(form);
  return {
    drill,
    params: readParams(fields, form),
    ...(duration === "" ? {} : { durationSeconds: numberOr(duration) }),
    abortWhen: readAbortConditions(form),
    ...(rollback === "" ? {} : { rollback }),
    ...(schedule ? { schedule } : {}),
  };
}

/** The filled rows, in order: row i of a form shown again from a body is abortWhen[i]. */
function readAbortConditions(form: FormLike): Record<string, unknown>[] {
  const conditions: Record<string, unknown>[] = [];
  for (let i = 0; i < ABORT_ROWS; i++) {
    const slo = value(form, `abort.${i}.slo`);
    if (slo === "") continue;
    const kind = value(form, `abort.${i}.kind`) as AbortKind;
    const tier = value(form, `abort.${i}.tier`) || "page-fast";
    // An alert condition has no threshold: its tier's own factor and duration decide when it fires.
    if (kind === "alert") {
      conditions.push({ slo, alertFiring: tier });
      continue;
    }
    const threshold = value(form, `abort.${i}.value`);
    const limit = threshold === "" ? {} : { [kind === "budget" ? "budgetBelow" : "burnRateAbove"]: numberOr(threshold) };
    if (kind === "budget") conditions.push({ slo, ...limit });
    else conditions.push({ slo, ...limit, tier });
  }
  return conditions;
}

/** A start time (the form's datetime-local, read as UTC) or a cron schedule; neither: now. */
function readSchedule(form: FormLike): Record<string, unknown> | undefined {
  const at = value(form, "schedule.at");
  const cron = value(form, "schedule.cron").trim();
  if (at !== "") return { at: /T\d\d:\d\d$/.test(at) ? `${at}:00Z` : /T[\d:.]+$/.test(at) ? `${at}Z` : at };
  if (cron !== "") {
    const times = value(form, "schedule.times");
    return { cron, ...(times === "" ? {} : { times: numberOr(times) }) };
  }
  return undefined;
}

/** The control an engine problem's field (`durationSeconds`, `abortWhen.1.budgetBelow`, `params.rate`) names. */
export function problemControl(fields: readonly FormField[], body: LaunchBody | null, problemField: string | undefined): string | undefined {
  if (!problemField) return undefined;
  if (problemField.startsWith("params.")) return fieldForProblem(fields, body?.params, problemField);
  const [head, index, leaf] = problemField.split(".");
  switch (head) {
    case "durationSeconds":
    case "rollback":
      return head;
    case "abortWhen":
      return index === undefined || !/^\d+$/.test(index)
        ? "abort.0.slo"
        : `abort.${index}.${leaf === "slo" || leaf === "tier" ? leaf : leaf === undefined ? "slo" : "value"}`;
    case "schedule":
      return body?.schedule && "cron" in body.schedule ? (index === "times" ? "schedule.times" : "schedule.cron") : "schedule.at";
    default:
      return undefined;
  }
}

/** The duration a form starts with: five minutes, or the drill's longest when that is shorter. */
export function defaultDurationSeconds(maxDurationSeconds: number): number {
  return Math.min(300, maxDurationSeconds);
}

function value(form: FormLike, name: string): string {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
}
