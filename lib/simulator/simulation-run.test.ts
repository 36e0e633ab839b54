import { type Server, createServer } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import type { JourneyFlow } from "./journey-flows.ts";
import { Simulation, type SimulationOptions } from "./simulation-run.ts";
import type { TrafficProfileSpec } from "./traffic-profile.ts";

const spec = (over: Partial<TrafficProfileSpec> = {}): TrafficProfileSpec => ({
  arrivals: { shape: "constant", ratePerSecond: 200 },
  spacing: "even",
  seed: 3,
  durationSeconds: 1,
  thinkTime: { type: "fixed", ms: 0 },
  maxInFlightJourneys: 10_000,
  mix: [{ journey: "patient/view-record", weight: 1 }],
  ...over,
});

describe("a simulation run (open model)", () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  async function serve(handler: (path: string, answer: (status: number, body?: string) => void) => void): Promise<string> {
    server = createServer((req, res) => handler(req.url!, (status, body = "{}") => res.writeHead(status, { "content-type": "application/json" }).end(body)));
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  }

  const twoSteps: JourneyFlow = async (s) => {
    await s.step({ method: "GET", path: "/a" });
    await s.think();
    await s.step({ method: "GET", path: "/b" });
  };
  const oneStep: JourneyFlow = async (s) => void (await s.step({ method: "GET", path: "/x" }));

  /** A run against `origin` of the profile spec(over), its one journey walking `flow`. */
  const simulation = (origin: string, flow: JourneyFlow, over: Partial<TrafficProfileSpec>, options: Partial<SimulationOptions> = {}) =>
    new Simulation({ origin, profile: { name: "t", spec: spec(over) }, flows: { "patient/view-record": flow }, ...options });

  it("starts every arrival on the clock, walks each journey's steps in order and reports each outcome", async () => {
    const seen: string[] = [];
    const origin = await serve((path, answer) => (seen.push(path), answer(200)));
    const outcomes: boolean[] = [];
    const sim = simulation(origin, twoSteps, {}, { onJourneyEnd: (o) => outcomes.push(o.ok) });
    const end = await sim.done;
    expect(end.state).toBe("finished");
    expect(end.total).toMatchObject({ due: 200, started: 200, succeeded: 200, failed: 0, dropped: 0, requests: 400 });
    expect(outcomes).toHaveLength(200);
    expect(seen.filter((p) => p === "/a")).toHaveLength(200);
    expect(seen.indexOf("/b")).toBeGreaterThan(seen.indexOf("/a"));
  });

  it("counts what users would see fail, by reason: 5xx, 429, an unexpected 4xx, a timeout", async () => {
    let n = 0;
    const origin = await serve((_path, answer) => {
      const k = n++ % 4;
      if (k === 0) answer(503);
      else if (k === 1) answer(429);
      else if (k === 2) answer(404);
      // k === 3: never answers
    });
    const sim = simulation(origin, oneStep, { arrivals: { shape: "constant", ratePerSecond: 40 } }, { requestTimeoutMs: 300 });
    const end = await sim.done;
    expect(end.total.succeeded).toBe(0);
    expect(end.total.failures).toEqual({ "server-error": 10, "rate-limited": 10, rejected: 10, timeout: 10, network: 0 });
  });

  it("measures from the due time: a stalled simulator shows up in the corrected latency, not in the raw one", async () => {
    const origin = await serve((_path, answer) => answer(200));
    const sim = simulation(origin, oneStep, { durationSeconds: 2 }, { lateAfterMs: 10 });
    // The event loop blocked for 300 ms half way: about 60 arrivals come due while nothing can be sent.
    setTimeout(() => {
      const until = performance.now() + 300;
      while (performance.now() < until) {
        // a stall, as a long GC pause or a busy client would cause
      }
    }, 1000);
    const end = await sim.done;
    expect(end.total.started).toBe(400);
    expect(end.total.late).toBeGreaterThanOrEqual(50);
    expect(end.total.requestMs.corrected.max).toBeGreaterThanOrEqual(250);
    // Below the stall, whatever else the machine runs (137 ms once, beside two integration files).
    expect(end.total.requestMs.raw.p99).toBeLessThan(250);
    expect(end.total.requestMs.corrected.p99).toBeGreaterThan(end.total.requestMs.raw.p99 + 150);
  });

  it("holds a persona's new journeys back for a shed's Retry-After, not another persona's, and counts them", async () => {
    // The gateway sheds the patients (503, Retry-After: 1) and serves the clinicians.
    server = createServer((req, res) =>
      req.url === "/patients"
        ? res.writeHead(503, { "content-type": "application/json", "retry-after": "1" }).end("{}")
        : res.writeHead(200, { "content-type": "application/json" }).end("{}"),
    );
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const sim = new Simulation({
      origin,
      profile: {
        name: "t",
        spec: spec({
          durationSeconds: 2,
          mix: [
            { journey: "patient/view-record", weight: 1 },
            { journey: "clinician/find-patient", weight: 1 },
          ],
        }),
      },
      flows: {
        "patient/view-record": async (s) => void (await s.step({ method: "GET", path: "/patients" })),
        "clinician/find-patient": async (s) => void (await s.step({ method: "GET", path: "/clinicians" })),
      },
    });
    const end = await sim.done;
    const patients = end.journeys.find((j) => j.journey === "patient/view-record")!;
    const clinicians = end.journeys.find((j) => j.journey === "clinician/find-patient")!;
    // About 200 patients came due in 2 s: those before the first 503 came back, and one burst a second after.
    expect(patients.due).toBeGreaterThan(150);
    expect(patients.heldBack).toBeGreaterThan(patients.due * 0.8);
    expect(patients.failures["server-error"]).toBe(patients.started);
    expect(clinicians).toMatchObject({ heldBack: 0, failed: 0 });
    expect(clinicians.succeeded).toBe(clinicians.due);
  });

  it("sends on after a 503 without Retry-After: a failing service is no request to wait", async () => {
    const origin = await serve((_path, answer) => answer(503));
    const end = await simulation(origin, oneStep, { arrivals: { shape: "constant", ratePerSecond: 40 } }).done;
    expect(end.total).toMatchObject({ due: 40, started: 40, heldBack: 0 });
  });

  it("drops arrivals beyond the in-flight bound instead of queueing them, and counts them", async () => {
    const origin = await serve(() => undefined); // never answers
    const sim = simulation(origin, oneStep, { maxInFlightJourneys: 10 }, { requestTimeoutMs: 1500 });
    const end = await sim.done;
    expect(end.total.started).toBe(10);
    expect(end.total.dropped).toBe(190);
    expect(end.total.failures.timeout).toBe(10);
  });

  it("stops starting journeys when stopped, and cuts those in flight short without counting them as outcomes", async () => {
    // Answers slower than the test: a stop that waited for them would take seconds, not a moment.
    const origin = await serve((_path, answer) => setTimeout(() => answer(200), 3000));
    const outcomes: boolean[] = [];
    const sim = simulation(origin, oneStep, { durationSeconds: 60 }, { onJourneyEnd: (o) => outcomes.push(o.ok) });
    await new Promise((r) => setTimeout(r, 300));
    const stoppedAt = performance.now();
    const end = await sim.stop();
    expect(performance.now() - stoppedAt).toBeLessThan(1500); // no waiting for the 3 s answers in flight
    expect(end.state).toBe("stopped");
    expect(end.elapsedSeconds).toBeLessThan(2);
    expect(end.total.cancelled).toBeGreaterThan(0);
    expect(end.total.started).toBe(end.total.succeeded + end.total.cancelled);
    expect(end.total.failed).toBe(0);
    expect(outcomes).toHaveLength(end.total.succeeded);
    expect(end.total.started).toBeGreaterThan(40);
  });
});
