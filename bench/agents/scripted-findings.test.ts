import { describe, expect, it } from "vitest";
import { type AlertRow, type Look, findingOf } from "./scripted-findings.ts";

const row = (slo: string, service: string, shortBurn = 0, state = "inactive"): AlertRow => ({
  slo,
  journey: slo.split("-").slice(0, 2).join("/"),
  service,
  budgetLeftPct: 100,
  fastBurn: { factor: 14.4, burn: [shortBurn / 2, shortBurn] },
  alerts: state === "inactive" ? [] : [{ alert: "page-fast", severity: "page", state }],
});

const HEALTHY = [
  row("clinician-record-diagnosis-availability", "clinical"),
  row("clinician-record-diagnosis-latency", "clinical"),
  row("clinician-record-diagnosis-availability-client", "clinical"),
  row("billing-work-claims-availability", "billing"),
  row("billing-work-claims-latency", "billing"),
];

type Minute = [string, number, number, number];
/** Each SLO's last minutes as query_sli gives them: two bad ones for an SLO that burns, good ones otherwise. */
const minutesOf =
  (slos: AlertRow[]): Look["sli"] =>
  async (slo) => {
    const burns = (slos.find((r) => r.slo === slo)?.fastBurn?.burn[1] ?? 0) > 5;
    const rows: Minute[] = [
      ["10:00", 60, 0, 100],
      ["10:01", 60, burns ? 30 : 0, 100],
      ["10:02", 60, burns ? 30 : 0, 100],
    ];
    return { rows };
  };

function look(o: Partial<Omit<Look, "alerts" | "topology">> & { slos?: AlertRow[]; restarts?: number; backlog?: number; lag?: number } = {}): Look {
  return {
    alerts: { slos: o.slos ?? HEALTHY },
    topology: {
      processes: [
        { name: "clinical", state: "ready", restarts: o.restarts ?? 0 },
        { name: "billing", state: "ready", restarts: 0 },
      ],
      pipeline: { outboxBacklog: [o.backlog ?? 0, 0, 0, 0], lag: o.lag ?? 0, deadLetters: 0, held: 0 },
    },
    sli: o.sli ?? minutesOf(o.slos ?? HEALTHY),
    answers: o.answers ?? (async () => true),
    failuresByShard: o.failuresByShard ?? (async () => new Map()),
  };
}

const burning = (slo: string, service: string) => HEALTHY.map((r) => (r.slo === slo ? row(slo, service, 40, "firing") : r));

describe("the scripted agent's findings", () => {
  it("finds nothing on a healthy lab, nor in a burn whose last minutes are good again (a young lab's busy start)", async () => {
    expect(await findingOf(look(), look())).toBeNull();
    const slos = burning("clinician-record-diagnosis-latency", "clinical");
    expect(await findingOf(look({ slos, sli: minutesOf(HEALTHY) }), look())).toBeNull();
  });

  it("blames the relay for outboxes that do not drain, the projector for a consumer that lags", async () => {
    expect(await findingOf(look({ backlog: 500 }), look())).toMatchObject({
      entity: { kind: "relay" },
      faultClass: "backlog",
      lever: { lever: "resume-event-pipeline" },
    });
    expect(await findingOf(look({ lag: 800 }), look())).toMatchObject({ entity: { kind: "projector" }, faultClass: "backlog" });
  });

  it("calls a journey the gateway stops counting while its users are served a blind spot in the gateway's configuration", async () => {
    const sli: Look["sli"] = async (slo) => ({
      rows: slo.endsWith("-client")
        ? [
            ["10:00", 30, 0, 100],
            ["10:01", 30, 0, 100],
          ]
        : [["09:59", 30, 0, 100]],
    });
    expect(await findingOf(look({ sli }), look())).toMatchObject({ entity: { kind: "configuration", service: "gateway" }, faultClass: "blind-spot" });
  });

  it("calls restarts a crash, a process that answers nothing a hang (the gateway too, when the SLOs it serves cannot be read), and failures on one shard that shard", async () => {
    expect(await findingOf(look({ restarts: 3 }), look())).toMatchObject({ entity: { service: "clinical" }, faultClass: "crash" });
    const failing = burning("clinician-record-diagnosis-availability", "clinical");
    expect(await findingOf(look({ slos: failing, answers: async (p) => p !== "clinical" }), look())).toMatchObject({
      entity: { kind: "service", service: "clinical" },
      faultClass: "hang",
      lever: { lever: "restart-process", target: "clinical" },
    });
    const frozenGateway = { ...look({ answers: async (p) => p !== "gateway" }), alerts: null };
    expect(await findingOf(frozenGateway, look())).toMatchObject({ entity: { service: "gateway" }, faultClass: "hang", lever: { lever: "restart-process" } });
    const byShard = async () =>
      new Map([
        [2, 40],
        [1, 2],
      ]);
    expect(await findingOf(look({ slos: failing, failuresByShard: byShard }), look())).toMatchObject({
      entity: { kind: "shard", shard: 2 },
      lever: { target: "2" },
    });
  });

  it("tells a surge from a slow service by the journey's traffic, and a bad release from errors by latency beside them", async () => {
    const slow = burning("billing-work-claims-latency", "billing");
    // The billing batch's journeys rush and fail; the patients' claims (through billing) slow down.
    const slos = [
      ...HEALTHY.map((r) => (r.slo === "billing-work-claims-availability" ? row(r.slo, "billing", 20, "firing") : r)),
      row("patient-view-claims-latency", "billing", 30, "firing"),
    ];
    const minutes = minutesOf(slos);
    /** The billing journeys' minutes as given ([requests, bad] from 10:00), every other SLO's as usual. */
    const billingMinutes =
      (counts: [number, number][]): Look["sli"] =>
      async (slo, n) =>
        slo.startsWith("billing-work-claims") ? { rows: counts.map(([requests, bad], i) => [`10:0${i}`, requests, bad, 100]) } : minutes(slo, n);
    const surge = billingMinutes([
      [300, 0],
      [300, 0],
      [9_000, 900],
      [9_500, 1_200],
    ]);
    expect(await findingOf(look({ slos, sli: surge }), look())).toMatchObject({
      entity: { service: "gateway" },
      faultClass: "overload",
      lever: { lever: "shed-traffic", target: "billing:10" },
    });
    // Found late, with rush minutes among the earlier ones: still a rush.
    const late = billingMinutes([
      [300, 0],
      [300, 0],
      [5_000, 100],
      [9_000, 900],
      [9_500, 1_200],
      [9_500, 1_200],
      [9_500, 1_200],
      [9_500, 1_200],
      [9_500, 1_200],
    ]);
    expect(await findingOf(look({ slos, sli: late }), look())).toMatchObject({ faultClass: "overload", lever: { target: "billing:10" } });
    // A young lab's partial first minute is no baseline: the same traffic after it is no rush.
    const young = billingMinutes([
      [20, 0],
      [600, 0],
      [620, 0],
      [610, 120],
      [600, 120],
    ]);
    expect(await findingOf(look({ slos, sli: young }), look())).toMatchObject({ entity: { kind: "configuration", service: "billing" } });
    // A quiet journey's few requests doubling is no rush.
    const few = billingMinutes([
      [40, 0],
      [40, 0],
      [100, 20],
      [100, 20],
    ]);
    expect(await findingOf(look({ slos, sli: few }), look())).toMatchObject({ entity: { kind: "configuration", service: "billing" } });
    expect(await findingOf(look({ slos: slow }), look())).toMatchObject({ entity: { kind: "service", service: "billing" }, faultClass: "latency" });
    const both = slow.map((r) => (r.slo === "billing-work-claims-availability" ? row(r.slo, "billing", 30, "firing") : r));
    expect(await findingOf(look({ slos: both }), look())).toMatchObject({
      entity: { kind: "configuration", service: "billing" },
      faultClass: "misconfiguration",
    });
  });
});
