"use client";
// One lever of the On call page's Levers panel as a form: its target's select and a button that says the
// lever and the target chosen, so that pulling needs no confirmation step. The page's server action pulls it.
import { useEffect, useRef, useState } from "react";
import type { LeverForm as Lever } from "@/lib/portal/oncall-levers.ts";

export function LeverForm({ lever, action, invalid }: { lever: Lever; action: (form: FormData) => Promise<void>; invalid: boolean }) {
  const options = lever.target?.options ?? [];
  const select = useRef<HTMLSelectElement>(null);
  const [chosen, choose] = useState(options[0]?.value ?? "");
  // A choice made before the page became interactive is in the select (what is posted), not yet in the state.
  useEffect(() => {
    if (select.current) choose(select.current.value);
  }, []);
  const button = (options.find((o) => o.value === chosen) ?? options[0])?.button ?? lever.button;
  const what = (
    <p>
      <a href={lever.runbookHref}>{lever.label}</a>: {lever.effect}
    </p>
  );
  if (lever.idle)
    return (
      <div className="lever" data-lever={lever.id}>
        {what}
        <p className="muted">{lever.idle}</p>
      </div>
    );
  return (
    <form action={action} className="lever" aria-label={lever.label} data-lever={lever.id}>
      {what}
      <input type="hidden" name="lever" value={lever.id} />
      {lever.target && (
        <label>
          {lever.target.label}
          <select ref={select} name="target" defaultValue={options[0]?.value} onChange={(e) => choose(e.target.value)} aria-invalid={invalid}>
            {options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="submit">{button}</button>
    </form>
  );
}
