import { describe, expect, it } from "vitest";
import { type AlertRow, type Look, type RequestCount, findingOf, journeyRequestsOf } from "./scripted-findings.ts";

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

  it("tells a surge from a slow service by the journeys' requests a second since it came on call, and a bad release from errors by latency beside them", async () => {
    const slow = burning("billing-work-claims-latency", "billing");
    // The billing batch's journeys rush and fail; the patients' claims (through billing) slow down.
    const slos = [
      ...HEALTHY.map((r) => (r.slo === "billing-work-claims-availability" ? row(r.slo, "billing", 20, "firing") : r)),
      row("patient-view-claims-latency", "billing", 30, "firing"),
    ];
    /** The gateway's counters read every 20 s, growing by the given requests a second per interval. */
    const reads = (perSecond: Record<string, number>[], from = 1_000_000): RequestCount[] => {
      const total = new Map<string, number>([
        ["billing/work-claims", 0],
        ["patient/view-claims", 0],
      ]);
      const out: RequestCount[] = [{ at: from, byJourney: new Map(total) }];
      perSecond.forEach((rates, i) => {
        for (const [journey, rate] of Object.entries(rates)) total.set(journey, total.get(journey)! + rate * 20);
        out.push({ at: from + (i + 1) * 20_000, byJourney: new Map(total) });
      });
      return out;
    };
    const steady = { "billing/work-claims": 1.5, "patient/view-claims": 0.8 };
    const rush = { "billing/work-claims": 600, "patient/view-claims": 0.8 };
    expect(await findingOf(look({ slos }), look(), reads([steady, steady, steady, rush]))).toMatchObject({
      entity: { service: "gateway" },
      faultClass: "overload",
      lever: { lever: "shed-traffic", target: "billing:10" },
    });
    // Found late, with rush intervals among the earlier ones: still a rush (against the quietest).
    expect(await findingOf(look({ slos }), look(), reads([steady, steady, rush, rush, rush, rush]))).toMatchObject({ lever: { target: "billing:10" } });
    // A gateway restarted meanwhile (its counters back at 0) loses that interval, not the rush.
    const restarted = reads([steady, steady, steady, rush, rush]);
    restarted[3] = {
      at: restarted[3]!.at,
      byJourney: new Map([
        ["billing/work-claims", 10],
        ["patient/view-claims", 0],
      ]),
    };
    expect(await findingOf(look({ slos }), look(), restarted)).toMatchObject({ faultClass: "overload" });
    // Too few reads to have a rate before the rush: no rush yet, whatever the SLOs say.
    expect(await findingOf(look({ slos }), look(), reads([steady, rush]))).toMatchObject({ entity: { kind: "configuration", service: "billing" } });
    // Reads a few milliseconds apart are one read (the agent's first two looks).
    const twice = reads([steady, rush]);
    expect(await findingOf(look({ slos }), look(), [twice[0]!, { ...twice[0]!, at: twice[0]!.at + 3 }, ...twice.slice(1)])).toMatchObject({
      entity: { kind: "configuration", service: "billing" },
    });
    // A quiet journey's few requests a second tripling is no rush, nor a busy one's doubling (retries).
    expect(await findingOf(look({ slos }), look(), reads([steady, steady, steady, { ...steady, "billing/work-claims": 4.5 }]))).toMatchObject({
      entity: { kind: "configuration", service: "billing" },
    });
    expect(
      await findingOf(
        look({ slos }),
        look(),
        reads([
          { ...steady, "billing/work-claims": 30 },
          { ...steady, "billing/work-claims": 30 },
          { ...steady, "billing/work-claims": 60 },
        ]),
      ),
    ).toMatchObject({ entity: { kind: "configuration", service: "billing" } });
    // A rush with nothing burning is the lab coping: no finding.
    expect(await findingOf(look(), look(), reads([steady, steady, steady, rush]))).toBeNull();
    expect(await findingOf(look({ slos: slow }), look())).toMatchObject({ entity: { kind: "service", service: "billing" }, faultClass: "latency" });
    const both = slow.map((r) => (r.slo === "billing-work-claims-availability" ? row(r.slo, "billing", 30, "firing") : r));
    expect(await findingOf(look({ slos: both }), look())).toMatchObject({
      entity: { kind: "configuration", service: "billing" },
      faultClass: "misconfiguration",
    });
  });

  it("reads the gateway's server-side journey counters, every outcome summed, the client side left out", () => {
    expect(
      journeyRequestsOf([
        'pimlab_journey_requests_total{journey="patient/view-record",source="server",outcome="success",service="gateway"} 120',
        'pimlab_journey_requests_total{journey="patient/view-record",source="server",outcome="error",service="gateway"} 3',
        'pimlab_journey_requests_total{journey="patient/view-record",source="client",outcome="success",service="gateway"} 118',
        'pimlab_journey_requests_total{journey="billing/work-claims",source="server",outcome="success",service="gateway"} 7',
        "pimlab_warmup_requests_total 5",
      ]),
    ).toEqual(
      new Map([
        ["patient/view-record", 123],
        ["billing/work-claims", 7],
      ]),
    );
  });
});
