// One drill's launch form, built from the params JSON Schema the catalog publishes, with duration,
// rollback, start and abort conditions. The form is a GET to this page: "Dry run" shows the engine's exact
// targets and deadline (a dry run changes nothing), and only then a button launches that request. What the
// engine refuses comes back as its detail beside the control it names, the form as it was typed.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { DryRunPanel } from "@/app/drills/dry-run-panel.tsx";
import { LaunchFields, type SloChoice } from "@/app/drills/launch-fields.tsx";
import { type Invalid, ParamsFields } from "@/app/drills/params-fields.tsx";
import { openPage } from "@/app/page-access.tsx";
import { authorize, roleWords, rolesAllowedWords } from "@/lib/auth/policy.ts";
import type { DrillLaunch } from "@/lib/drills/drill-request.ts";
import { outcomeOf } from "@/lib/lab-client/lab-client.ts";
import { PAGES } from "@/lib/portal/portal-pages.ts";
import { defaultDurationSeconds, problemControl, readLaunch } from "@/lib/portal/drill-launch-form.ts";
import { formatSeconds } from "@/lib/portal/drill-runs-view.ts";
import { formFields, formValues, submittedValues } from "@/lib/portal/schema-form.ts";

export const metadata: Metadata = { title: "Launch a drill" };
export const dynamic = "force-dynamic";

type Query = Record<string, string | string[] | undefined>;

function queryOf(given: Query): URLSearchParams {
  const query = new URLSearchParams();
  for (const [name, v] of Object.entries(given)) for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) query.append(name, one);
  return query;
}

export default async function DrillLaunchPage({ params, searchParams }: { params: Promise<{ key: string }>; searchParams: Promise<Query> }) {
  const { key } = await params;
  const opened = await openPage(PAGES.drillLaunch, `/drills/${key}`, {
    read: (lab) => lab.drillCatalog(),
    unreachable: "The drill catalog cannot be read right now",
  });
  if (opened.answer) return opened.answer;
  const { actor, lab, value: catalog } = opened;
  const drill = catalog.drills.find((d) => d.key === key);
  if (!drill) notFound();
  const mayRun = authorize(actor, "drill.run").allowed;
  const fields = formFields(drill.params);
  const query = queryOf(await searchParams);
  const refused = query.get("refused");
  const refusedField = query.get("field") ?? undefined;
  query.delete("refused");
  query.delete("field");
  const request = mayRun && query.has("dryRun") ? readLaunch(key, fields, query) : null;
  const [dryAnswer, slos] = await Promise.all([
    // Sent as the form read it; the engine names what is wrong.
    request ? outcomeOf(lab.dryRun({ body: request as DrillLaunch })) : null,
    mayRun
      ? lab.slos().then(
          (r): SloChoice[] => r.slos.map((s) => ({ name: s.name, displayName: s.displayName })),
          () => null,
        )
      : null,
  ]);
  const dry = dryAnswer?.ok ? dryAnswer.value : null;
  // A refused dry run speaks first: it is about the form as it stands now.
  const problem =
    dryAnswer && !dryAnswer.ok
      ? { what: "dry run", detail: dryAnswer.error.message, field: dryAnswer.error.field }
      : refused
        ? { what: "launch", detail: refused, field: refusedField }
        : null;
  const control = problem ? problemControl(fields, request, problem.field) : undefined;
  const invalid: Invalid = problem && control ? { name: control, message: problem.detail } : null;
  const values = request ? submittedValues(fields, query) : formValues(fields, undefined);
  const runValue = (name: string) =>
    request ? (query.get(name) ?? "") : name === "durationSeconds" ? String(defaultDurationSeconds(drill.maxDurationSeconds)) : "";
  return (
    <>
      <p className="breadcrumb">
        <a href="/drills">Drills</a> / {drill.key}
      </p>
      <h1>{drill.title}</h1>
      <p className="subtitle">
        {drill.failureMode} · runs at most {formatSeconds(drill.maxDurationSeconds)} · rolls back{" "}
        {drill.defaultRollback === "always" ? "always" : "on deviation"} unless you choose
      </p>
      {problem && (
        <section className="panel error-state" role="alert" aria-labelledby="problem-heading">
          <h2 id="problem-heading">The drill engine refused the {problem.what}</h2>
          <p data-testid="drill-problem">{problem.detail}</p>
          {problem.field && (
            <p className="hint">
              Field: <code>{problem.field}</code>
              {control ? " (marked in the form)" : ""}
            </p>
          )}
        </section>
      )}
      {!mayRun ? (
        <p className="panel">
          Launching drills is for {rolesAllowedWords("drill.run")}; you are signed in as {roleWords(actor.role)}.
        </p>
      ) : (
        <form method="get" action={`/drills/${drill.key}#dry-run`} className="panel drill-form" aria-labelledby="form-heading">
          <h2 id="form-heading">Launch form</h2>
          <fieldset className="form-section">
            <legend>Parameters</legend>
            {fields.length === 0 ? <p className="hint">This drill takes no parameters.</p> : <ParamsFields fields={fields} values={values} invalid={invalid} />}
          </fieldset>
          <LaunchFields drill={drill} value={runValue} slos={slos} invalid={invalid} />
          <button type="submit" name="dryRun" value="1" className="primary">
            Dry run
          </button>{" "}
          <span className="hint">Shows the exact targets and deadline; nothing changes until you launch.</span>
        </form>
      )}
      {dry && request && <DryRunPanel dry={dry} request={request} query={query.toString()} nowMs={Date.now()} />}
    </>
  );
}
