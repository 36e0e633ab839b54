// The audit search's filter as a GET form, so the URL holds the query (a link to a search can be shared).
// Fields keep what was typed, valid or not, so a mistake can be corrected in place.
import { AUDIT_FILTER_FIELDS } from "@/lib/audit/audit-filter.ts";
import { Options } from "@/components/options.tsx";

type Raw = Partial<Record<string, string>>;

const TEXT_FIELDS: [name: (typeof AUDIT_FILTER_FIELDS)[number], label: string, example: string][] = [
  ["requestId", "Request id", "x-request-id of a response"],
  ["actorId", "Actor", "usr-…"],
  ["action", "Action", "patient.register, drill.launch…"],
  ["entityType", "Entity type", "Patient, Claim, Simulation…"],
  ["entityId", "Entity id", "pat-…, clm-…"],
];

const PAGE_SIZES = [25, 50, 100, 200];

export function AuditFilterForm({ raw, shardCount, invalidField }: { raw: Raw; shardCount: number; invalidField: string | null }) {
  const invalid = (name: string) => (invalidField === name ? { "aria-invalid": true, "aria-describedby": "filter-error" } : {});
  return (
    <form method="get" action="/audit" className="audit-filter" aria-label="Audit search filter">
      {TEXT_FIELDS.map(([name, label, example]) => (
        <label key={name}>
          {label}
          <input name={name} type="search" defaultValue={raw[name] ?? ""} placeholder={example} autoComplete="off" spellCheck={false} {...invalid(name)} />
        </label>
      ))}
      <label>
        From (UTC)
        <input name="from" type="datetime-local" step={1} defaultValue={raw.from ?? ""} {...invalid("from")} />
      </label>
      <label>
        To (UTC)
        <input name="to" type="datetime-local" step={1} defaultValue={raw.to ?? ""} {...invalid("to")} />
      </label>
      <label>
        Source
        <select name="source" defaultValue={raw.source ?? ""} {...invalid("source")}>
          <option value="">every log</option>
          <option value="control">control (operators&apos; actions)</option>
          {Array.from({ length: shardCount }, (_, i) => (
            <option key={i} value={`shard-${i}`}>
              shard {i}
            </option>
          ))}
        </select>
      </label>
      <label>
        Per page
        <select name="limit" defaultValue={raw.limit ?? "50"} {...invalid("limit")}>
          <Options values={PAGE_SIZES} />
        </select>
      </label>
      <div className="audit-filter-actions">
        <button type="submit">Search</button> <a href="/audit">Clear</a>
      </div>
    </form>
  );
}
