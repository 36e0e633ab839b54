// The launch form's controls around the params: duration, rollback, when to start, and the abort
// conditions (an SLO of the lab with a burn-rate factor or a budget floor). Server-rendered.
import { type Invalid, notesOf } from "@/app/drills/params-fields.tsx";
import type { DrillCatalog } from "@/lib/contracts/routes/drill-engine-routes.ts";

type CatalogDrill = DrillCatalog["drills"][number];
import { ABORT_ROWS } from "@/lib/portal/drill-launch-form.ts";
import { TIER_NAMES } from "@/lib/slo/burn-rate-tiers.ts";

export type SloChoice = { name: string; displayName: string };

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
  const control = (name: string, hint?: string) => notesOf(name, hint, invalid);
  const duration = control("durationSeconds", `from 5 to ${drill.maxDurationSeconds}`);
  const rollback = control("rollback", "on deviation keeps the change unless an abort condition fires; it needs one");
  const at = control("schedule.at", "leave empty to start at once");
  const cron = control("schedule.cron", "5 fields, UTC, e.g. */15 * * * *");
  const times = control("schedule.times", "how many times the cron schedule fires");
  return (
    <>
      <fieldset className="form-section">
        <legend>Run</legend>
        <div className="field">
          <label htmlFor={duration.id}>Duration (s)</label>
          <input
            id={duration.id}
            name="durationSeconds"
            type="number"
            inputMode="numeric"
            min={5}
            max={drill.maxDurationSeconds}
            step={1}
            required
            defaultValue={value("durationSeconds")}
            aria-describedby={duration.describedBy}
            aria-invalid={duration.invalid || undefined}
          />
          {duration.notes}
        </div>
        <div className="field">
          <label htmlFor={rollback.id}>Rollback</label>
          <select
            id={rollback.id}
            name="rollback"
            defaultValue={value("rollback")}
            aria-describedby={rollback.describedBy}
            aria-invalid={rollback.invalid || undefined}
          >
            <option value="">the drill&apos;s default ({drill.defaultRollback})</option>
            <option value="always">always: revert at the end</option>
            <option value="on-deviation">on deviation: keep unless an abort condition fires</option>
          </select>
          {rollback.notes}
        </div>
        <div className="field">
          <label htmlFor={at.id}>Start at, UTC (optional)</label>
          <input
            id={at.id}
            name="schedule.at"
            type="datetime-local"
            defaultValue={value("schedule.at")}
            aria-describedby={at.describedBy}
            aria-invalid={at.invalid || undefined}
          />
          {at.notes}
        </div>
        <div className="field">
          <label htmlFor={cron.id}>Or on a cron schedule (optional)</label>
          <input
            id={cron.id}
            name="schedule.cron"
            type="text"
            spellCheck={false}
            autoComplete="off"
            defaultValue={value("schedule.cron")}
            aria-describedby={cron.describedBy}
            aria-invalid={cron.invalid || undefined}
          />
          {cron.notes}
        </div>
        <div className="field">
          <label htmlFor={times.id}>Cron firings (optional)</label>
          <input
            id={times.id}
            name="schedule.times"
            type="number"
            inputMode="numeric"
            min={1}
            max={1000}
            step={1}
            defaultValue={value("schedule.times")}
            aria-describedby={times.describedBy}
            aria-invalid={times.invalid || undefined}
          />
          {times.notes}
        </div>
      </fieldset>
      <fieldset className="form-section">
        <legend>Abort when (optional)</legend>
        <p className="hint">
          The drill aborts (and rolls back) as soon as one condition holds. Threshold: a burn-rate factor (14.4 is the fast page), or the error budget left as a
          fraction (0.5); the tier applies to a burn rate and to an alert, which needs no threshold.
          {slos === null ? " The SLO list cannot be read from the gateway right now: type an SLO's name." : ""}
        </p>
        {Array.from({ length: ABORT_ROWS }, (_, i) => (
          <AbortRow key={i} index={i} value={value} slos={slos} invalid={invalid} />
        ))}
      </fieldset>
    </>
  );
}

function AbortRow({ index, value, slos, invalid }: { index: number; value: (name: string) => string; slos: SloChoice[] | null; invalid: Invalid }) {
  const n = (leaf: string) => `abort.${index}.${leaf}`;
  const slo = notesOf(n("slo"), undefined, invalid);
  const kind = notesOf(n("kind"), undefined, invalid);
  const threshold = notesOf(n("value"), undefined, invalid);
  const tier = notesOf(n("tier"), undefined, invalid);
  return (
    <div className="abort-row" role="group" aria-label={`Abort condition ${index + 1}`}>
      <div className="field">
        <label htmlFor={slo.id}>SLO</label>
        {slos === null ? (
          <input
            id={slo.id}
            name={n("slo")}
            type="text"
            spellCheck={false}
            defaultValue={value(n("slo"))}
            aria-describedby={slo.describedBy}
            aria-invalid={slo.invalid || undefined}
          />
        ) : (
          <select id={slo.id} name={n("slo")} defaultValue={value(n("slo"))} aria-describedby={slo.describedBy} aria-invalid={slo.invalid || undefined}>
            <option value="">(none)</option>
            {slos.map((s) => (
              <option key={s.name} value={s.name}>
                {s.displayName}
              </option>
            ))}
          </select>
        )}
        {slo.notes}
      </div>
      <div className="field">
        <label htmlFor={kind.id}>When</label>
        <select id={kind.id} name={n("kind")} defaultValue={value(n("kind")) || "burn-rate"}>
          <option value="burn-rate">its burn rate goes above</option>
          <option value="budget">its error budget left falls below</option>
          <option value="alert">the tier's alert fires</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={threshold.id}>Threshold</label>
        <input
          id={threshold.id}
          name={n("value")}
          type="number"
          step="any"
          inputMode="decimal"
          defaultValue={value(n("value"))}
          aria-describedby={threshold.describedBy}
          aria-invalid={threshold.invalid || undefined}
        />
        {threshold.notes}
      </div>
      <div className="field">
        <label htmlFor={tier.id}>Tier</label>
        <select
          id={tier.id}
          name={n("tier")}
          defaultValue={value(n("tier")) || "page-fast"}
          aria-describedby={tier.describedBy}
          aria-invalid={tier.invalid || undefined}
        >
          {TIER_NAMES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
        {tier.notes}
      </div>
    </div>
  );
}
