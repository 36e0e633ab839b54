// What an on-call player sees of a lab whose controls are at work (ADR 0023): every GET route of every
// process, called with the on-call role's token while drills run, either refuses or answers without a trace
// of them (drill names, run ids, rule ids, targets' frozen state, the drills' own traces and audit
// entries); the SRE, who sees the controls, is shown them on the same routes, so the check can see a leak.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAuditFilter } from "../lib/audit/audit-filter.ts";
import { auditReaderOf, readAuditPage } from "../lib/audit/read-audit-page.ts";
import type { Actor } from "../lib/auth/roles.ts";
import { PROCESSES, routesOf } from "../lib/contracts/lab-routes.ts";
import type { LabProcess } from "../lib/contracts/lab-route.ts";
import { type DrillLab, type DrillRunView, startDrillLab } from "./support/drill-lab.ts";
import { waitUntil } from "./support/wait-until.ts";

const PORT_OF: Record<LabProcess, keyof DrillLab["ports"]> = {
  gateway: "gateway",
  clinical: "clinical",
  billing: "billing",
  projector: "projector",
  simulator: "simulator",
  "drill-engine": "drills",
  supervisor: "supervisor",
};

// The API's reference (the same for everyone, with or without a token) lists the routes and schemas that
// exist, drills' among them; it says nothing of what runs.
const REFERENCE = new Set(["GET /openapi.json", "GET /docs"]);

describe("the lab as the on-call player sees it while drills run", () => {
  let t: DrillLab;
  let runs: DrillRunView[] = [];
  let patientId: string;

  beforeAll(async () => {
    t = await startDrillLab("oncall-view", 23_000 + (process.pid % 1000) * 7, { LAB_DRILL_MAX_CONCURRENT: "3" });
    const [row] = await t.dbs.shards[0]!.sql.query<{ id: string }>(`SELECT "id" FROM "patients" LIMIT 1`);
    patientId = row!.id;
    for (const body of [
      { drill: "error-burst", params: { service: "clinical", rate: 0.5, status: 503 }, durationSeconds: 300 },
      { drill: "service-hang", params: { service: "billing" }, durationSeconds: 300 },
      { drill: "consumer-stall", params: { delayMs: 100, failRate: 0.5 }, durationSeconds: 300 },
    ]) {
      const res = await t.call<DrillRunView>("POST", `${t.drillsUrl}/runs`, body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      runs.push(res.body);
    }
    await waitUntil(async () => (await Promise.all(runs.map((r) => t.runOf(r.id)))).every((r) => r.status === "running"), 20_000);
    runs = await Promise.all(runs.map((r) => t.runOf(r.id)));
    // Patients reading their records and clinicians charting: failed requests, traces, events, dead letters.
    await t.measure(4, {
      ratePerSecond: 30,
      mix: [
        { journey: "patient/view-record", weight: 1 },
        { journey: "clinician/record-diagnosis", weight: 1 },
      ],
    });
  }, 150_000);
  afterAll(async () => {
    await t?.stop();
  });

  /** What would give the drills away: their names, run ids, rule ids, their traces, an injected failure's words. */
  const hiddenMarks = () => [...runs.flatMap((r) => [r.id, r.traceId]), "error-burst", "service-hang", "consumer-stall", "drill-errors", "injected"];

  /** A value for each path parameter: real ids where the lab has them, so the answer is a real one. */
  async function pathsOf(path: string, traceIds: string[]): Promise<string[]> {
    if (path.includes(":runId")) return runs.map((r) => path.replace(":runId", r.id));
    if (path.includes(":traceId")) return traceIds.map((id) => path.replace(":traceId", id));
    const filled = path
      .replace(":patientId", patientId)
      .replace(":name", "patient-view-record-availability")
      .replace(/:[A-Za-z]+/g, "none-such");
    return [filled];
  }

  /** Every GET route of every process as `token`'s holder: what of the hidden marks each answer shows. */
  async function walk(token: string): Promise<{ leaks: string[]; answered: number }> {
    const sreTraces = await t.call<{ traces: { traceId: string }[] }>(
      "GET",
      `http://127.0.0.1:${t.ports.gateway}/_lab/traces?limit=200`,
      undefined,
      t.tokens.sre,
    );
    const traceIds = [...new Set([...runs.map((r) => r.traceId), ...sreTraces.body.traces.map((x) => x.traceId)])];
    const leaks: string[] = [];
    let answered = 0;
    for (const process of PROCESSES) {
      let frozen = false; // the frozen process answers nothing: one silence says so
      for (const route of routesOf(process).filter((r) => r.method === "GET" && !REFERENCE.has(`${r.method} ${r.path}`))) {
        for (const path of frozen ? [] : await pathsOf(route.path, traceIds)) {
          const res = await fetch(`http://127.0.0.1:${t.ports[PORT_OF[process]]}${path}`, {
            headers: { authorization: `Bearer ${token}` },
            signal: AbortSignal.timeout(6_000),
          }).catch(() => null);
          if (!res) {
            frozen = true;
            continue;
          }
          const text = await res.text();
          if (res.status === 200) answered++;
          // A mark the request itself carries (a trace id asked for) is an echo, not a leak.
          for (const mark of hiddenMarks()) if (text.includes(mark) && !path.includes(mark)) leaks.push(`${process} GET ${path} (${res.status}) shows ${mark}`);
        }
      }
    }
    return { leaks, answered };
  }

  it("answers every GET route of every process without a trace of the drills, or refuses it; the SRE's walk shows them", async () => {
    const oncall = await walk(t.tokens.oncall);
    expect(oncall.leaks).toEqual([]);
    expect(oncall.answered).toBeGreaterThan(20);
    const sre = await walk(t.tokens.sre);
    expect(sre.leaks).toEqual(expect.arrayContaining([expect.stringMatching(/^drill-engine GET \/_lab\/drills\/runs \(200\) shows error-burst$/)]));
  }, 240_000);

  it("leaves the drills' entries out of the audit the on-call player searches, but their own acts", async () => {
    const filter = parseAuditFilter(new URLSearchParams({ source: "control", limit: "200" }), { shardCount: t.dbs.shards.length });
    const text = async (actor: Actor) => JSON.stringify((await readAuditPage(t.dbs, filter, auditReaderOf(actor, "masked"))).rows);
    const oncall: Actor = { userId: "usr-oncall-view-oncall", role: "oncall", facilityId: null, patientId: null };
    const seen = await text(oncall);
    for (const mark of hiddenMarks()) expect(seen, mark).not.toContain(mark);
    expect(await text({ ...oncall, userId: "usr-oncall-view-sre", role: "sre" })).toContain("error-burst");
  });

  it("refuses the controls' own reads, and shows a frozen process as running and the pipeline without its faults", async () => {
    const asOncall = (url: string) => t.call("GET", url, undefined, t.tokens.oncall);
    for (const url of [
      `${t.drillsUrl}/runs`,
      `${t.drillsUrl}/catalog`,
      `http://127.0.0.1:${t.ports.supervisor}/_lab/leases`,
      `http://127.0.0.1:${t.ports.simulator}/_lab/traffic`,
    ])
      expect((await asOncall(url)).status, url).toBe(403);
    const processes = await asOncall(`http://127.0.0.1:${t.ports.supervisor}/_lab/processes`);
    expect((processes.body as { processes: { name: string; state: string }[] }).processes.find((p) => p.name === "billing")?.state).toBe("ready");
    expect((await asOncall(`http://127.0.0.1:${t.ports.projector}/_lab/events/status`)).body).toMatchObject({ faults: null });
    // The SRE, who sees the controls, is shown all of it on the same routes.
    const sre = (url: string) => t.call("GET", url, undefined, t.tokens.sre);
    expect(
      ((await sre(`http://127.0.0.1:${t.ports.supervisor}/_lab/processes`)).body as { processes: { name: string; state: string }[] }).processes.find(
        (p) => p.name === "billing",
      )?.state,
    ).toBe("paused");
    expect((await sre(`http://127.0.0.1:${t.ports.projector}/_lab/events/status`)).body).toMatchObject({ faults: { consumerFailRate: 0.5 } });
    expect((await sre(`${t.drillsUrl}/runs`)).status).toBe(200);
  });

  it("lets the on-call player pull the levers, without seeing or setting a fault", async () => {
    const as = (method: string, url: string, body?: unknown) => t.call(method, url, body, t.tokens.oncall);
    const supervisor = `http://127.0.0.1:${t.ports.supervisor}`;
    expect((await as("PUT", `${supervisor}/_lab/faults/clinical`, { rules: [] })).status).toBe(403);
    expect((await as("GET", `http://127.0.0.1:${t.ports.clinical}/_lab/faults`)).status).toBe(403);
    expect((await as("POST", `${supervisor}/_lab/processes/billing/kill`, {})).status).toBe(403);
    expect((await as("DELETE", `${supervisor}/_lab/faults/clinical`)).status).toBe(200);
    expect((await as("POST", `${supervisor}/_lab/processes/billing/resume`)).status).toBe(200);
    expect((await as("DELETE", `${supervisor}/_lab/faults/projector`)).status).toBe(200);
    expect(await t.faultsOf("clinical")).toEqual([]);
    // The player's own acts are theirs to see in the audit, among the controls' that are not.
    const filter = parseAuditFilter(new URLSearchParams({ source: "control", actorId: "usr-oncall-view-oncall" }), { shardCount: t.dbs.shards.length });
    const own = await readAuditPage(
      t.dbs,
      filter,
      auditReaderOf({ userId: "usr-oncall-view-oncall", role: "oncall", facilityId: null, patientId: null }, "masked"),
    );
    expect(own.rows.map((r) => r.action)).toEqual(expect.arrayContaining(["supervisor.resume", "supervisor.faults-clear"]));
  });
});
