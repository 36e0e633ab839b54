// npm run bench:generate: synthetic data generation into SQLite and into PostgreSQL, each against peers
// measured in the same run: generation alone (no database) shows what the writing costs.
//   --patients N   patients per timed run (default 20,000), --runs K (default 3, medians reported)
//   --target N     one extra SQLite run of N patients checked against the 60 s goal (default 100,000; 0 skips)
import { parseArgs } from "node:util";
import { createPseudonymizer } from "../lib/privacy/pseudonymize.ts";
import { generatePatient } from "../lib/synth/generate-patient.ts";
import { generateLabData } from "../lib/synth/generate-lab-data.ts";
import { createSynthContext } from "../lib/synth/synth-context.ts";
import { type Backend, createTestLab } from "../test/support/test-labs.ts";
import { median, say } from "./bench-harness.ts";

const { values } = parseArgs({
  options: {
    patients: { type: "string", default: "20000" },
    runs: { type: "string", default: "3" },
    target: { type: "string", default: "100000" },
    postgres: { type: "boolean", default: true },
  },
});
const patients = Number(values.patients);
const runs = Number(values.runs);
const target = Number(values.target);

interface Measure {
  seconds: number;
  rows: number;
}

async function intoDatabase(backend: Backend, n: number): Promise<Measure> {
  const t = await createTestLab(backend, { bulkWrites: true });
  try {
    let last = 0;
    const report = await generateLabData(t.lab, {
      patients: n,
      seed: 42,
      onProgress: (p) => {
        if (p.done - last >= n / 4 || p.done === n) {
          say(`  ${backend}: ${p.done}/${n} patients`);
          last = p.done;
        }
      },
    });
    return { seconds: report.seconds, rows: report.rows };
  } finally {
    await t.dispose();
  }
}

function generationOnly(n: number): Measure {
  const ctx = createSynthContext({
    seed: 42,
    facilities: Array.from({ length: 12 }, (_, i) => ({ id: `fac-${i}`, kind: "clinic", providerIds: [`prv-${i}-1`, `prv-${i}-2`] })),
    pseudonymize: createPseudonymizer("bench-secret-0123456789"),
  });
  const started = performance.now();
  let rows = 0;
  for (let i = 0; i < n; i++) for (const list of Object.values(generatePatient(ctx, i).rows)) rows += list.length;
  return { seconds: (performance.now() - started) / 1000, rows };
}

const backends: Backend[] = values.postgres && process.env.LAB_TEST_POSTGRES !== "unavailable" ? ["sqlite", "postgresql"] : ["sqlite"];
const results = new Map<string, Measure[]>();
for (let r = 1; r <= runs; r++) {
  say(`run ${r}/${runs}: ${patients} patients each`);
  const add = (name: string, m: Measure) => results.set(name, [...(results.get(name) ?? []), m]);
  add("generate only (peer)", generationOnly(patients));
  for (const b of backends) add(`into ${b}`, await intoDatabase(b, patients));
}

const rows = [...results].map(([name, ms]) => {
  const seconds = median(ms.map((m) => m.seconds));
  return { name, seconds, patientsPerSecond: patients / seconds, rowsPerSecond: ms[0]!.rows / seconds };
});
const peer = rows[0]!;
console.log(`\nbench:generate — ${patients} patients per run, median of ${runs} runs (${new Date().toISOString()})`);
console.log("| run | median s | patients/s | rows/s | vs generate-only |");
console.log("| --- | ---: | ---: | ---: | ---: |");
for (const r of rows)
  console.log(
    `| ${r.name} | ${r.seconds.toFixed(2)} | ${Math.round(r.patientsPerSecond)} | ${Math.round(r.rowsPerSecond)} | ${(peer.seconds / r.seconds).toFixed(2)}x |`,
  );
const lite = rows.find((r) => r.name === "into sqlite");
const pg = rows.find((r) => r.name === "into postgresql");
if (lite && pg) console.log(`PostgreSQL / SQLite throughput: ${(pg.patientsPerSecond / lite.patientsPerSecond).toFixed(2)}x`);

if (target > 0) {
  say(`target run: ${target} patients into SQLite`);
  const m = await intoDatabase("sqlite", target);
  const verdict = m.seconds < 60 ? "meets" : "misses";
  console.log(
    `target: ${target} patients (${m.rows} rows) into SQLite in ${m.seconds.toFixed(1)} s — ${verdict} the 60 s goal (${Math.round(target / m.seconds)} patients/s)`,
  );
}
