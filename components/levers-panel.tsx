// The On call page's levers: what an on-call person may change on the running lab, each through the API
// the runbook's curl line calls, checked against their role and audited under their user. Only levers:
// the lab's controls (drills, faults, leases, traffic profiles) are not the on-call role's (ADR 0023).
import { LeverForm } from "@/components/lever-form.tsx";
import { Panel } from "@/components/panel.tsx";
import type { LeverForm as Lever } from "@/lib/portal/oncall-levers.ts";

export function LeversPanel({ levers, action, refusedLever }: { levers: Lever[]; action: (form: FormData) => Promise<void>; refusedLever?: string }) {
  return (
    <Panel id="levers" title="Levers">
      <p className="facts-line">
        Each pull is the lab&apos;s own API, as <a href="/runbooks/levers">the levers runbook</a> calls it: checked against your role and written to{" "}
        <a href="/audit?source=control">the audit</a> under your user, where an exercise&apos;s score reads it.
      </p>
      {levers.length === 0 ? (
        <p>Your role pulls no lever.</p>
      ) : (
        <div className="levers">
          {levers.map((l) => (
            <LeverForm key={l.id} lever={l} action={action} invalid={refusedLever === l.id} />
          ))}
        </div>
      )}
    </Panel>
  );
}
