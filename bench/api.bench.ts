// npm run bench:api: the gateway with the clinical and billing services behind it (each its own process,
// as under npm run lab) driven by autocannon, against a bare Fastify hello-world measured in the same run.
//   read mix   GET a patient / a patient's encounters, as a clinician, as fast as it goes (median of --runs)
//   bare forward  a Fastify that only forwards to the hello-world: the floor of any two-hop design
//   read floor    the bare forward in front of a bare Fastify doing the read mix's two reads (bench/
//                 read-floor-peer.ts): the floor of these reads, with no token, log, trace or metric
//   80/20 mix  reads and patient registrations at a fixed --rate (default 500 req/s) on the clock (open
//              model, lib/load/open-loop.ts; latency from each request's due time), and the same mix
//              through autocannon's overallRate, which sends each second's quota as a burst
// Targets: read throughput >= 0.25 x the peer; mixed p99 < 50 ms at 500 req/s.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type autocannon from "autocannon";
import { labSigningKey, issueLabToken } from "../lib/auth/tokens.ts";
import { loadConfig } from "../lib/config/index.ts";
import { openLabDatabases, prepareLabDatabases } from "../lib/data/lab-databases.ts";
import { type LoadRequest, runOpenLoop } from "../lib/load/open-loop.ts";
import { generateLabData } from "../lib/synth/generate-lab-data.ts";
import { patientRegistration } from "../test/support/clinical-writes.ts";
import { benchOptions, cannon, median, say, waitFor } from "./bench-harness.ts";

const { runs, seconds, rate, connections } = benchOptions({ runs: 3, seconds: 10, rate: 500, connections: 32 });
const root = join(import.meta.dirname, "..");

const dir = mkdtempSync(join(tmpdir(), "pimlab-bench-api-"));
const ports = { clinical: 4801, billing: 4802, gateway: 4800, peer: 4990, forwardPeer: 4991, readFloor: 4992, readFloorForward: 4993 };
const env = {
  ...process.env,
  LAB_DATA_DIR: dir,
  LAB_SECRET: "bench-api-secret-0123456789",
  CLINICAL_PORT: String(ports.clinical),
  BILLING_PORT: String(ports.billing),
  GATEWAY_PORT: String(ports.gateway),
  GATEWAY_RATE_PER_MINUTE: "1000000",
  LOG_LEVEL: "warn",
};
const config = loadConfig(env);
const children: ChildProcess[] = [];

function start(script: string, args: string[] = []) {
  const child = spawn(join(root, "node_modules/.bin/tsx"), [join(root, script), ...args], { env, stdio: ["ignore", "ignore", "inherit"] });
  children.push(child);
}

try {
  say("preparing a lab of 2,000 patients");
  await prepareLabDatabases(config, root);
  const lab = await openLabDatabases(config);
  await generateLabData(lab, { patients: 2000, seed: 42 });
  const patients = (await Promise.all(lab.shards.map((s) => s.prisma.patient.findMany({ where: { facilityId: "fac-0001" }, select: { id: true } }))))
    .flat()
    .map((p) => p.id);
  await lab.close();
  const token = await issueLabToken(
    labSigningKey(config.privacySecret),
    { userId: "usr-bench", role: "clinician", facilityId: "fac-0001", patientId: null },
    { ttlSeconds: 3600 },
  );
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };

  say("starting clinical, billing, gateway and the hello-world peer");
  start("backend-services/clinical/main.ts");
  start("backend-services/billing/main.ts");
  start("backend-services/gateway/main.ts");
  start("bench/hello-peer.ts", [String(ports.peer)]);
  start("bench/forward-peer.ts", [String(ports.forwardPeer), `http://127.0.0.1:${ports.peer}`]);
  start("bench/read-floor-peer.ts", [String(ports.readFloor), "fac-0001"]);
  start("bench/forward-peer.ts", [String(ports.readFloorForward), `http://127.0.0.1:${ports.readFloor}`]);
  const floorPatient = `/patients/${patients[0]}`;
  await Promise.all([
    waitFor(`http://127.0.0.1:${ports.gateway}/readyz`),
    waitFor(`http://127.0.0.1:${ports.peer}/`),
    waitFor(`http://127.0.0.1:${ports.forwardPeer}/`),
    waitFor(`http://127.0.0.1:${ports.readFloorForward}${floorPatient}`),
  ]);

  let n = 0;
  const readPath = () => {
    const id = patients[n++ % patients.length]!;
    return n % 2 ? `/patients/${id}` : `/patients/${id}/encounters?limit=10`;
  };
  let registrations = 0;
  const registration = () => JSON.stringify(patientRegistration(`BENCH-${process.pid}-${++registrations}`));

  // The read mix as fixed request templates, as the peers' requests are: autocannon builds each template
  // once, where a setupRequest per request cost the load generator three times the peers' share of the CPU.
  const readRequests = patients.flatMap((id) => [
    { method: "GET" as const, path: `/patients/${id}` },
    { method: "GET" as const, path: `/patients/${id}/encounters?limit=10` },
  ]);
  const peer: autocannon.Result[] = [];
  const forwardPeer: autocannon.Result[] = [];
  const readFloor: autocannon.Result[] = [];
  const reads: autocannon.Result[] = [];
  say("warming up (3 s of the read mix, not counted)");
  await cannon({ url: `http://127.0.0.1:${ports.gateway}`, connections, duration: 3, headers, requests: readRequests });
  for (let r = 1; r <= runs; r++) {
    say(`run ${r}/${runs}: peer, forwarding peer, read floor, then gateway read mix (${seconds} s each, ${connections} connections)`);
    peer.push(await cannon({ url: `http://127.0.0.1:${ports.peer}/`, connections, duration: seconds }));
    forwardPeer.push(await cannon({ url: `http://127.0.0.1:${ports.forwardPeer}/`, connections, duration: seconds }));
    readFloor.push(await cannon({ url: `http://127.0.0.1:${ports.readFloorForward}`, connections, duration: seconds, requests: readRequests }));
    reads.push(
      await cannon({
        url: `http://127.0.0.1:${ports.gateway}`,
        connections,
        duration: seconds,
        headers,
        requests: readRequests,
      }),
    );
  }
  const statuses = new Map<string, number>();
  const count = (status: number, body: string) => {
    const key = status < 300 ? String(status) : `${status} ${String(body).slice(0, 120)}`;
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
  };
  // The 80/20 mix on the clock (the target's measure): four reads then a registration, every 1/rate s.
  const mixRequest = (i: number): LoadRequest =>
    i % 5 === 4
      ? { method: "POST", path: "/patients", headers, body: registration() }
      : { method: "GET", path: readPath(), headers: { authorization: headers.authorization } };
  say(`80/20 mix, open model at ${rate} req/s: 5 s warm-up, then ${seconds * 2} s measured`);
  await runOpenLoop({ origin: `http://127.0.0.1:${ports.gateway}`, ratePerSecond: rate, durationMs: 5000, next: mixRequest });
  const open = await runOpenLoop({ origin: `http://127.0.0.1:${ports.gateway}`, ratePerSecond: rate, durationMs: seconds * 2000, next: mixRequest });
  // The same mix through autocannon's rate option, for comparison: it sends each connection's quota for the
  // second at once, so this measures bursts of `rate` requests at the top of every second.
  say(`80/20 mix through autocannon at ${rate} req/s for ${seconds * 2} s`);
  const mixed = await cannon({
    url: `http://127.0.0.1:${ports.gateway}`,
    connections,
    duration: seconds * 2,
    overallRate: rate,
    headers,
    // Each template fixes its own method, headers and body (switching them inside one template corrupts
    // autocannon's request framing).
    requests: [
      ...Array.from({ length: 4 }, () => ({
        method: "GET" as const,
        setupRequest: (req: autocannon.Request) => ({ ...req, path: readPath() }),
        onResponse: count,
      })),
      { method: "POST" as const, path: "/patients", setupRequest: (req: autocannon.Request) => ({ ...req, body: registration() }), onResponse: count },
    ],
  });

  const row = (name: string, results: autocannon.Result[]) => {
    const rps = median(results.map((x) => x.requests.average));
    return {
      name,
      rps,
      p50: median(results.map((x) => x.latency.p50)),
      p99: median(results.map((x) => x.latency.p99)),
      errors: results.reduce((s, x) => s + x.non2xx + x.errors, 0),
    };
  };
  const openErrors = open.errors + open.dropped + Object.entries(open.statuses).reduce((sum, [status, n]) => sum + (Number(status) >= 300 ? n : 0), 0);
  const rows = [
    row("hello-world peer", peer),
    row("bare forward -> hello-world (two-hop floor)", forwardPeer),
    row("bare forward -> bare read mix (floor of these reads)", readFloor),
    row("gateway read mix", reads),
    { name: `gateway 80/20, open model at ${rate}/s`, rps: open.achievedPerSecond, p50: open.latencyMs.p50, p99: open.latencyMs.p99, errors: openErrors },
    row(`gateway 80/20, autocannon bursts at ${rate}/s`, [mixed]),
  ];
  console.log(`\nbench:api — ${connections} connections, ${seconds} s per run, median of ${runs} runs (${new Date().toISOString()})`);
  console.log("| run | req/s | p50 ms | p99 ms | non-2xx or errors | vs peer |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
  for (const x of rows) console.log(`| ${x.name} | ${Math.round(x.rps)} | ${x.p50} | ${x.p99} | ${x.errors} | ${(x.rps / rows[0]!.rps).toFixed(2)}x |`);
  console.log(
    `open model: p90 ${open.latencyMs.p90} ms, max ${open.latencyMs.max} ms, driver send lag p99 ${open.sendLagP99Ms} ms, answers ${JSON.stringify(open.statuses)}`,
  );
  console.log(
    `autocannon 80/20 answers: ${[...statuses]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([k, v]) => `${v} x ${k}`)
      .join("; ")}`,
  );
  const [forwardRow, floorRow, readRow] = [rows[1]!, rows[2]!, rows[3]!];
  const readRatio = readRow.rps / rows[0]!.rps;
  console.log(`read throughput ${readRatio.toFixed(2)}x the peer (target >= 0.25x): ${readRatio >= 0.25 ? "meets" : "misses"}`);
  console.log(`read floor ${(floorRow.rps / rows[0]!.rps).toFixed(2)}x the peer: two bare Node hops and these reads, with no lab feature at all`);
  console.log(
    `read throughput ${(readRow.rps / floorRow.rps).toFixed(2)}x the read floor, ${(readRow.rps / forwardRow.rps).toFixed(2)}x the bare forward: what the lab's own work costs`,
  );
  console.log(
    `mixed p99 ${open.latencyMs.p99} ms at ${open.achievedPerSecond} req/s, open model (target < 50 ms at ${rate}/s): ${open.latencyMs.p99 < 50 && openErrors === 0 ? "meets" : "misses"}`,
  );
} finally {
  for (const c of children) c.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 500));
  rmSync(dir, { recursive: true, force: true });
}
