"use client";
// A discriminated union's variant switch (the latency distribution: fixed, uniform, normal, exponential):
// only the chosen variant's controls show and submit. Its panels are rendered on the server and passed in.
import { type ReactNode, useState } from "react";
import { Options } from "@/components/options.tsx";

export function VariantChoice(props: {
  id: string;
  name: string;
  legend: string;
  label: string;
  options: string[];
  initial: string;
  allowNone: boolean;
  describedBy?: string;
  invalid: boolean;
  panels: ReactNode[];
}) {
  const [chosen, setChosen] = useState(props.initial);
  return (
    <fieldset className="variant">
      <legend>{props.legend}</legend>
      <div className="field">
        <label htmlFor={props.id}>{props.label}</label>
        <select
          id={props.id}
          name={props.name}
          value={chosen}
          onChange={(e) => setChosen(e.target.value)}
          aria-describedby={props.describedBy}
          aria-invalid={props.invalid || undefined}
        >
          {props.allowNone && <option value="">(none)</option>}
          <Options values={props.options} />
        </select>
      </div>
      {props.options.map((o, i) => (
        // A disabled fieldset neither submits nor validates its controls: a hidden variant cannot block the form.
        <fieldset key={o} className="variant-panel" disabled={o !== chosen} hidden={o !== chosen}>
          <legend className="visually-hidden">
            {props.legend}: {o}
          </legend>
          {props.panels[i]}
        </fieldset>
      ))}
    </fieldset>
  );
}
