// The controls of a drill's params form, from the field list lib/portal/schema-form.ts makes of the
// catalog's JSON Schema. Server-rendered; only a union's variant switch runs in the browser.
import { VariantChoice } from "@/app/drills/variant-choice.tsx";
import { Options } from "@/components/options.tsx";
import { type FormField, type FormValues, controlId } from "@/lib/portal/schema-form.ts";

/** The control an engine problem names, with the problem's words. */
export type Invalid = { name: string; message: string } | null;

export function ParamsFields({ fields, values, invalid }: { fields: readonly FormField[]; values: FormValues; invalid: Invalid }) {
  return (
    <>
      {fields.map((f) => (
        <ParamField key={f.name} field={f} values={values} invalid={invalid} />
      ))}
    </>
  );
}

/** A control's hint and, when the engine named it, the engine's words; and the ids that describe it. */
export function notesOf(name: string, hint: string | undefined, invalid: Invalid) {
  const id = `f-${controlId(name)}`;
  const error = invalid?.name === name ? invalid.message : null;
  const describedBy = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  const notes = (
    <>
      {hint && (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {error && (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </>
  );
  return { id, describedBy, invalid: error !== null, notes };
}

function ParamField({ field, values, invalid }: { field: FormField; values: FormValues; invalid: Invalid }) {
  const { id, describedBy, invalid: wrong, notes } = notesOf(field.name, field.hint, invalid);
  const value = values[field.name];
  const text = typeof value === "string" ? value : "";
  const label = (
    <label htmlFor={id}>
      {field.label}
      {field.required ? "" : " (optional)"}
    </label>
  );
  const common = { id, name: field.name, "aria-describedby": describedBy, "aria-invalid": wrong || undefined };
  switch (field.kind) {
    case "choice":
      return (
        <div className="field">
          {label}
          <select {...common} defaultValue={text} required={field.required}>
            {(text === "" || !field.required) && <option value="">{field.required ? "Choose one" : "(none)"}</option>}
            <Options values={field.options} />
          </select>
          {notes}
        </div>
      );
    case "number":
      return (
        <div className="field">
          {label}
          <input
            {...common}
            type="number"
            inputMode={field.integer ? "numeric" : "decimal"}
            step={field.integer ? 1 : "any"}
            min={field.min}
            max={field.max}
            defaultValue={text}
            required={field.required}
          />
          {notes}
        </div>
      );
    case "text":
    case "list":
      return (
        <div className="field">
          {label}
          <input
            {...common}
            type="text"
            maxLength={field.kind === "text" ? field.maxLength : undefined}
            defaultValue={text}
            required={field.required}
            spellCheck={false}
            autoComplete="off"
          />
          {notes}
        </div>
      );
    case "json":
      return (
        <div className="field">
          {label}
          <textarea {...common} rows={3} defaultValue={text} required={field.required} spellCheck={false} />
          {notes}
        </div>
      );
    case "choices": {
      const checked = new Set(Array.isArray(value) ? value : []);
      return (
        <fieldset className="field choices" aria-describedby={describedBy}>
          <legend>
            {field.label}
            {field.required ? "" : " (optional)"}
          </legend>
          {field.options.map((o) => (
            <label key={o} className="choice">
              <input type="checkbox" name={field.name} value={String(o)} defaultChecked={checked.has(String(o))} /> {o}
            </label>
          ))}
          {notes}
        </fieldset>
      );
    }
    case "group":
      return (
        <fieldset className="field group">
          <legend>{field.label}</legend>
          <ParamsFields fields={field.fields} values={values} invalid={invalid} />
          {notes}
        </fieldset>
      );
    case "variant":
      return (
        <div className="field">
          <VariantChoice
            id={id}
            name={field.name}
            legend={`${field.label}${field.required ? "" : " (optional)"}`}
            label={field.discriminator.charAt(0).toUpperCase() + field.discriminator.slice(1)}
            options={field.variants.map((v) => String(v.value))}
            initial={text}
            allowNone={!field.required && field.default === undefined}
            describedBy={describedBy}
            invalid={wrong}
            panels={field.variants.map((v) => (
              <ParamsFields key={String(v.value)} fields={v.fields} values={values} invalid={invalid} />
            ))}
          />
          {notes}
        </div>
      );
  }
}
