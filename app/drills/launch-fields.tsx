// The launch form's controls around the params: duration, rollback, when to start, and the abort
// conditions (an SLO of the lab with a burn-rate factor or a budget floor). Server-rendered.
import type { ReactNode } from "react";
import { type Invalid, notesOf } from "@/app/drills/params-fields.tsx";
import { Options } from "@/components/options.tsx";
import type { DrillCatalog } from "@/lib/contracts/routes/drill-engine-routes.ts";
import { ABORT_ROWS } from "@/lib/portal/drill-launch-form.ts";
import { TIER_NAMES } from "@/lib/slo/burn-rate-tiers.ts";

type CatalogDrill = DrillCatalog["drills"][number];

export type SloChoice = { name: string; displayName: string };

/** The form as it was typed (or its defaults), and the control an engine problem names. */
type LaunchForm = { value: (name: string) => string; invalid: Invalid };

/** What a launch control carries: its id and name, the value typed, and the notes that describe it. */
type ControlProps = { id: string; name: string; defaultValue: string; "aria-describedby": string | undefined; "aria-invalid": true | undefined };

/** One labelled control of the launch form, as `children` renders it, with its hint and the engine's words; `fallback` stands for an empty value. */
function LaunchField({
  form,
  name,
  label,
  hint,
  fallback = "",
  children,
}: {
  form: LaunchForm;
  name: string;
  label: string;
  hint?: string;
  fallback?: string;
  children: (control: ControlProps) => ReactNode;
}) {
  const { id, describedBy, invalid, notes } = notesOf(name, hint, form.invalid);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, name, defaultValue: form.value(name) || fallback, "aria-describedby": describedBy, "aria-invalid": invalid || undefined })}
      {notes}
    </div>
  );
}

export function LaunchFields({
  drill,
  value,
  slos,
  invalid,
}: {
  drill: CatalogDrill;
  value: (name: string) => string;
  slos: SloChoice[] | null;
  invalid: Invalid;
}) {
  const form: LaunchForm = { value, invalid };
  return (
    <>
      <fieldset className="form-section">
        <legend>Run</legend>
        <LaunchField form={form} name="durationSeconds" label="Duration (s)" hint={`from 5 to ${drill.maxDurationSeconds}`}>
          {(control) => <input {...control} type="number" inputMode="numeric" min={5} max={drill.maxDurationSeconds} step={1} required />}
        </LaunchField>
        <LaunchField form={form} name="rollback" label="Rollback" hint="on deviation keeps the change unless an abort condition fires; it needs one">
          {(control) => (
            <select {...control}>
              <option value="">the drill&apos;s default ({drill.defaultRollback})</option>
              <option value="always">always: revert at the end</option>
              <option value="on-deviation">on deviation: keep unless an abort condition fires</option>
            </select>
          )}
        </LaunchField>
        <LaunchField form={form} name="schedule.at" label="Start at, UTC (optional)" hint="leave empty to start at once">
          {(control) => <input {...control} type="datetime-local" />}
        </LaunchField>
        <LaunchField form={form} name="schedule.cron" label="Or on a cron schedule (optional)" hint="5 fields, UTC, e.g. */15 * * * *">
          {(control) => <input {...control} type="text" spellCheck={false} autoComplete="off" />}
        </LaunchField>
        <LaunchField form={form} name="schedule.times" label="Cron firings (optional)" hint="how many times the cron schedule fires">
          {(control) => <input {...control} type="number" inputMode="numeric" min={1} max={1000} step={1} />}
        </LaunchField>
      </fieldset>
      <fieldset className="form-section">
        <legend>Abort when (optional)</legend>
        <p className="hint">
          The drill aborts (and rolls back) as soon as one condition holds. Threshold: a burn-rate factor (14.4 is the fast page), or the error budget left as a
          fraction (0.5); the tier applies to a burn rate and to an alert, which needs no threshold.
          {slos === null ? " The SLO list cannot be read from the gateway right now: type an SLO's name." : ""}
        </p>
        {Array.from({ length: ABORT_ROWS }, (_, i) => (
          <AbortRow key={i} index={i} form={form} slos={slos} />
        ))}
      </fieldset>
    </>
  );
}

function AbortRow({ index, form, slos }: { index: number; form: LaunchForm; slos: SloChoice[] | null }) {
  const n = (leaf: string) => `abort.${index}.${leaf}`;
  return (
    <div className="abort-row" role="group" aria-label={`Abort condition ${index + 1}`}>
      <LaunchField form={form} name={n("slo")} label="SLO">
        {(control) =>
          slos === null ? (
            <input {...control} type="text" spellCheck={false} />
          ) : (
            <select {...control}>
              <option value="">(none)</option>
              {slos.map((s) => (
                <option key={s.name} value={s.name}>
                  {s.displayName}
                </option>
              ))}
            </select>
          )
        }
      </LaunchField>
      <LaunchField form={form} name={n("kind")} label="When" fallback="burn-rate">
        {(control) => (
          <select {...control}>
            <option value="burn-rate">its burn rate goes above</option>
            <option value="budget">its error budget left falls below</option>
            <option value="alert">the tier&apos;s alert fires</option>
          </select>
        )}
      </LaunchField>
      <LaunchField form={form} name={n("value")} label="Threshold">
        {(control) => <input {...control} type="number" step="any" inputMode="decimal" />}
      </LaunchField>
      <LaunchField form={form} name={n("tier")} label="Tier" fallback="page-fast">
        {(control) => (
          <select {...control}>
            <Options values={TIER_NAMES} />
          </select>
        )}
      </LaunchField>
    </div>
  );
}
