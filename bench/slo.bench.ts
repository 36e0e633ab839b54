// npm run bench:slo: the burn-rate engine over 200 SLOs x 4 tiers x 30 days of minute rollups (43,200
// minutes each): budgets, burn rates now, and every tier's alert replayed minute by minute, with the
// services' groups. Peer in the same run: one pass that only adds up every bucket the engine reads, the
// floor of any engine over this data. Target: < 250 ms per evaluation.
//   --slos N (default 200), --days D (default 30), --runs K (default 7, median reported)
import type { SliMinutes } from "../lib/slo/burn-rate.ts";
import { tiersFor } from "../lib/slo/burn-rate-tiers.ts";
import { evaluateSlos } from "../lib/slo/evaluate-slos.ts";
import type { SloDefinition } from "../lib/slo/load-slos.ts";
import { benchOptions, median, say } from "./bench-harness.ts";

const { slos: sloCount, days, runs } = benchOptions({ slos: 200, days: 30, runs: 7 });
const minutes = days * 1440;

say(`building ${sloCount} SLIs of ${minutes} minutes (diurnal traffic, error bursts, a few outages)`);
let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const slos: SloDefinition[] = [];
const slis = new Map<string, SliMinutes>();
for (let s = 0; s < sloCount; s++) {
  const total = new Float64Array(minutes);
  const bad = new Float64Array(minutes);
  const base = 50 + random() * 500;
  const errorRate = 0.0002 + random() * 0.002;
  for (let m = 0; m < minutes; m++) {
    const diurnal = 0.3 + 0.7 * Math.max(0, Math.sin(((m % 1440) / 1440) * Math.PI));
    total[m] = Math.round(base * diurnal);
    bad[m] = Math.round(total[m]! * errorRate * (random() < 0.002 ? 200 : 1));
  }
  for (let o = 0; o < 3; o++) {
    const start = Math.floor(random() * (minutes - 120));
    for (let m = start; m < start + 20 + random() * 60; m++) bad[m] = total[m]!;
  }
  const name = `bench-slo-${s}`;
  slos.push({
    name,
    displayName: name,
    description: "",
    service: `service-${s % 10}`,
    journey: "clinician/record-diagnosis",
    source: "server",
    sli: { kind: "availability" },
    target: [0.99, 0.995, 0.999][s % 3]!,
    windowMinutes: 43200,
    tiers: tiersFor(43200),
    noDataAgainst: null,
    file: "bench",
  });
  slis.set(name, { startMinute: 0, total, bad });
}
say(`timing ${runs} runs`);
const engine: number[] = [];
const floor: number[] = [];
let transitions = 0;
let firing = 0;
let sink = 0;
for (let r = 0; r < runs; r++) {
  let t = performance.now();
  for (const sli of slis.values()) {
    const total = sli.total as Float64Array;
    const bad = sli.bad as Float64Array;
    for (let m = 0; m < minutes; m++) sink += total[m]! + bad[m]!;
  }
  floor.push(performance.now() - t);
  t = performance.now();
  const result = evaluateSlos(slos, (slo) => slis.get(slo.name)!);
  engine.push(performance.now() - t);
  transitions = result.slos.reduce((n, s) => n + s.transitions.length, 0) + result.groups.reduce((n, g) => n + g.transitions.length, 0);
  firing = result.slos.reduce((n, s) => n + s.tiers.filter((x) => x.state === "firing").length, 0);
  say(`  run ${r + 1}/${runs}: engine ${engine.at(-1)!.toFixed(1)} ms, floor ${floor.at(-1)!.toFixed(1)} ms`);
}
const e = median(engine);
const f = median(floor);
console.log(
  `\nbench:slo — ${sloCount} SLOs x 4 tiers x ${minutes} minutes (${((sloCount * minutes) / 1e6).toFixed(2)} M minute rollups), median of ${runs} runs (${new Date().toISOString()})`,
);
console.log("| run | ms | vs floor |");
console.log("| --- | ---: | ---: |");
console.log(`| floor: one pass adding every bucket | ${f.toFixed(1)} | 1.00x |`);
console.log(
  `| engine: ledgers, burn rates, budgets, alert replay per minute, ${new Set(slos.map((s) => s.service)).size} groups | ${e.toFixed(1)} | ${(e / f).toFixed(2)}x |`,
);
console.log(`alert transitions replayed: ${transitions}; tiers firing at the end: ${firing} (checksum ${sink > 0 ? "ok" : "?"})`);
console.log(`engine ${e.toFixed(1)} ms (target < 250 ms): ${e < 250 ? "meets" : "misses"}`);
