// npm run bench:portal: each portal page's first-load JS, from the production build's own manifests
// (lib/portal/first-load-js.ts; gzip level 9 of each chunk), checked against the scripts Chromium actually
// downloads, and its LCP in Debian Chromium against the lab serving that build (started as the e2e tests
// start it, on its own data directory). Each load is a fresh browser context (cold cache); pages behind
// sign-in are loaded as the SRE persona. Peers in the same run, on the same Next server, each opened as a
// document (no JS, nothing to hydrate): a static file of the build, loaded in turn with every page's loads
// (so a busy machine slows both alike), and the /api/health JSON (a dynamic handler reading the shards).
// Targets: first-load JS < 250 kB gzipped (kB = 1,000 bytes); LCP median < 1 s. Exits 0 when a target is
// missed (it says so); non-zero only when it could not measure.
//   --runs N          measured loads per page after one warm-up load (default 7)
//   --sample R=PATH   a concrete path for a route with a dynamic segment, e.g. "/scenarios/[runId]=/scenarios/scn-1";
//                     without one, the first link to such a path on the page above it (/slos for /slos/[name])
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { connect } from "node:net";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type Browser, chromium } from "@playwright/test";
import { signInAs } from "../e2e/personas.ts";
import { readFirstLoad } from "./first-load-build.ts";
import { chunkPath, compareChunkSets, samplePathFor, staticAncestor } from "../lib/portal/first-load-js.ts";
import playwrightConfig from "../playwright.config.ts";
import { buildPortalIfStale } from "../scripts/portal-build.ts";
import { median, say } from "./bench-harness.ts";

const { values } = parseArgs({ options: { runs: { type: "string", default: "7" }, sample: { type: "string", multiple: true, default: [] } } });
const runs = Number(values.runs);
const samples = new Map(values.sample.map((s) => [s.slice(0, s.indexOf("=")), s.slice(s.indexOf("=") + 1)]));
const root = join(import.meta.dirname, "..");
const nextDir = join(root, ".next");
const TARGET_FIRST_LOAD_GZIP_BYTES = 250_000;
const TARGET_LCP_MS = 1000;
const SRE = "Sam Demo (SRE)";

// Nearest rank: with 7 loads, p90 is the slowest of them.
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.9) - 1]!;
const kB = (bytes: number) => (bytes / 1000).toFixed(1);
const ms = (x: number) => String(Math.round(x));

// ---- 2. the lab, as the e2e tests start it ----
const webServer = Array.isArray(playwrightConfig.webServer) ? playwrightConfig.webServer[0] : playwrightConfig.webServer;
const labEnv: Record<string, string> = { ...(webServer?.env ?? {}), LAB_DATA_DIR: ".lab/bench-portal" };
const portalPort = Number(labEnv.PORTAL_PORT ?? 3100);
const origin = `http://127.0.0.1:${portalPort}`;
const labPorts = Object.entries(labEnv)
  .filter(([k]) => k.endsWith("_PORT"))
  .map(([, v]) => Number(v));

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port }, () => (socket.destroy(), resolve(true)));
    socket.on("error", () => resolve(false));
  });
}

let lab: ChildProcess | null = null;
const labOutput: string[] = [];

function startLab(): Promise<void> {
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "scripts", "lab.ts")], {
    cwd: root,
    env: { ...process.env, ...labEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  lab = child;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the lab did not print "lab: ready" within 300 s; its last lines:\n${labOutput.slice(-20).join("\n")}`)),
      300_000,
    );
    const onLine = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n").filter(Boolean)) {
        labOutput.push(line);
        if (line.startsWith("lab: ready")) {
          clearTimeout(timer);
          say(`  ${line}`);
          resolve();
        }
      }
    };
    child.stdout!.on("data", onLine);
    child.stderr!.on("data", onLine);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the lab exited (code ${code}) before it was ready; its last lines:\n${labOutput.slice(-20).join("\n")}`));
    });
  });
}

// SIGTERM to the supervisor only: it reverts its leases and stops every process of the lab (ADR 0010).
async function stopLab(): Promise<void> {
  const child = lab;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const inTime = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 30_000))]);
  if (!inTime) {
    say("the lab did not stop within 30 s of SIGTERM; killing its supervisor");
    child.kill("SIGKILL");
  }
}

// ---- 3. loads in Chromium ----
type Vitals = {
  lcpMs: number | null;
  lcpElement: string | null;
  ttfbMs: number | null;
  fcpMs: number | null;
  scripts: { url: string; encodedBytes: number }[];
};
// A string, not a function: tsx's transform would otherwise leak its helpers into the page.
const VITALS_PROBE = `new Promise((resolve) => {
  let lcp = null;
  const observer = new PerformanceObserver((list) => { const all = list.getEntries(); lcp = all[all.length - 1]; });
  observer.observe({ type: "largest-contentful-paint", buffered: true });
  // The LCP candidate can still change for a few frames after load; a short quiet period takes the last one.
  setTimeout(() => {
    for (const entry of observer.takeRecords()) lcp = entry;
    observer.disconnect();
    const nav = performance.getEntriesByType("navigation")[0];
    const fcp = performance.getEntriesByName("first-contentful-paint")[0];
    const el = lcp && lcp.element;
    resolve({
      lcpMs: lcp ? lcp.startTime : null,
      lcpElement: el ? el.tagName.toLowerCase() + (el.id ? "#" + el.id : el.className ? "." + String(el.className).split(" ")[0] : "") : null,
      ttfbMs: nav ? nav.responseStart : null,
      fcpMs: fcp ? fcp.startTime : null,
      scripts: performance.getEntriesByType("resource").filter((r) => r.initiatorType === "script").map((r) => ({ url: r.name, encodedBytes: r.encodedBodySize })),
    });
  }, 500);
})`;

type StorageState = Awaited<ReturnType<Awaited<ReturnType<Browser["newContext"]>>["storageState"]>>;
type Load = Vitals & { finalPath: string; status: number; scriptResponses: string[] };

async function loadOnce(browser: Browser, path: string, storageState?: StorageState): Promise<Load> {
  const context = await browser.newContext({ baseURL: origin, storageState });
  try {
    const page = await context.newPage();
    const scriptResponses: string[] = [];
    page.on("response", (r) => {
      if (r.request().resourceType() === "script") scriptResponses.push(r.url());
    });
    const response = await page.goto(path, { waitUntil: "load" });
    const vitals = (await page.evaluate(VITALS_PROBE)) as Vitals;
    return { ...vitals, finalPath: new URL(page.url()).pathname, status: response?.status() ?? 0, scriptResponses };
  } finally {
    await context.close();
  }
}

type Measured = {
  path: string;
  signedIn: boolean;
  loads: Load[];
  lcpMs: number[];
  ttfbMs: number[];
  fcpMs: number[];
  lcpMedianMs: number;
  lcpP90Ms: number;
  lcpElement: string | null;
  ttfbMedianMs: number;
};

function summarize(path: string, signedIn: boolean, loads: Load[]): Measured {
  const moved = loads.find((l) => l.finalPath !== new URL(path, origin).pathname || l.status >= 400);
  if (moved) throw new Error(`${path} answered ${moved.status} at ${moved.finalPath}: not the page itself`);
  const missing = loads.filter((l) => l.lcpMs === null).length;
  if (missing) throw new Error(`${path}: Chromium reported no largest-contentful-paint in ${missing} of ${loads.length} loads`);
  const lcpMs = loads.map((l) => l.lcpMs!);
  const ttfbMs = loads.map((l) => l.ttfbMs ?? NaN);
  return {
    path,
    signedIn,
    loads,
    lcpMs,
    ttfbMs,
    fcpMs: loads.map((l) => l.fcpMs ?? NaN),
    lcpMedianMs: median(lcpMs),
    lcpP90Ms: p90(lcpMs),
    lcpElement: loads[0]!.lcpElement,
    ttfbMedianMs: median(ttfbMs),
  };
}

/** A page's loads, each followed by one of the peer's when a peer is given; one warm-up of each first. */
async function measure(
  browser: Browser,
  path: string,
  storageState: StorageState | undefined,
  peerPath?: string,
): Promise<{ page: Measured; peer: Measured | null }> {
  await loadOnce(browser, path, storageState); // the server's first render of this page, not counted
  if (peerPath) await loadOnce(browser, peerPath);
  const loads: Load[] = [];
  const peerLoads: Load[] = [];
  for (let i = 0; i < runs; i++) {
    loads.push(await loadOnce(browser, path, storageState));
    if (peerPath) peerLoads.push(await loadOnce(browser, peerPath));
  }
  return { page: summarize(path, storageState !== undefined, loads), peer: peerPath ? summarize(peerPath, false, peerLoads) : null };
}

/**
 * An instance of a dynamic route, from the links the SRE sees on the pages above it, nearest first (an SLO
 * on /slos; a drill run on /drills/runs, else on /drills).
 */
async function linkedInstance(browser: Browser, route: string, storageState: StorageState): Promise<{ path: string; from: string } | null> {
  const context = await browser.newContext({ baseURL: origin, storageState });
  try {
    const page = await context.newPage();
    for (let above = staticAncestor(route); ; above = above.slice(0, above.lastIndexOf("/")) || "/") {
      await page.goto(above, { waitUntil: "load" });
      const path = samplePathFor(route, await page.locator("a[href]").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? "")));
      if (path) return { path, from: above };
      if (above === "/") return null;
    }
  } finally {
    await context.close();
  }
}

const describeLcp = (m: Measured) => `LCP median ${ms(m.lcpMedianMs)} ms, p90 ${ms(m.lcpP90Ms)} ms, TTFB median ${ms(m.ttfbMedianMs)} ms`;

async function main(): Promise<void> {
  const busy = (await Promise.all(labPorts.map(async (p) => ((await answers(p)) ? p : null)))).filter((p) => p !== null);
  if (busy.length)
    throw new Error(
      `something already listens on 127.0.0.1:${busy.join(", ")} (another test run or lab?); run this when the ports ${Math.min(...labPorts)}-${Math.max(...labPorts)} are free`,
    );
  buildPortalIfStale(root, say);
  say(`starting the lab on ${origin} (ports ${Math.min(...labPorts)}-${Math.max(...labPorts)}, data in ${labEnv.LAB_DATA_DIR}); it takes a few seconds`);
  await startLab();
  if (labOutput.some((l) => l.includes("building the portal"))) say("  (the lab rebuilt the portal first: a source changed since the build above)");
  // Read after the lab is up: it rebuilds first when a source changed since the build above (another
  // engineer's edit), and the figures must describe the build it serves.
  const { buildId, sizes, report: firstLoad, nextOpinion } = readFirstLoad(nextDir);
  say(
    `build ${buildId}: ${firstLoad.routes.length} pages; shared first-load JS ${kB(firstLoad.shared.gzipBytes)} kB gzipped (${firstLoad.shared.chunks.length} chunks)`,
  );

  const launch = playwrightConfig.use?.launchOptions ?? {};
  const browser = await chromium.launch({ ...launch, headless: true });
  try {
    // The lab's own processes (the simulator's traffic included) share this machine with the browser.
    const loadAtStart = loadavg()[0]!;
    say(
      `Chromium ${browser.version()}; ${runs} measured loads per page after one warm-up, each in a fresh context (cold cache); load average ${loadAtStart.toFixed(1)} on ${cpus().length} CPUs`,
    );
    const signIn = await browser.newContext({ baseURL: origin });
    await signInAs(await signIn.newPage(), SRE, "/");
    const sre = await signIn.storageState();
    await signIn.close();

    const cssChunk = readdirSync(join(nextDir, "static", "chunks")).find((f) => f.endsWith(".css"));
    if (!cssChunk) throw new Error("the build has no CSS chunk to serve as the static peer");
    const staticPeerPath = `/_next/static/chunks/${cssChunk}`;
    const health = (await measure(browser, "/api/health", undefined)).page;
    say(`  peer /api/health (JSON as a document)   ${describeLcp(health)}`);

    say("pages (each load followed by one of the static peer's):");
    type Row = {
      route: (typeof firstLoad.routes)[number];
      path: string | null;
      behindSignIn: boolean | null;
      notMeasured?: string;
      measured: Measured | null;
      peer: Measured | null;
      browserChunks: string[] | null;
      wireBytes: number | null;
      check: ReturnType<typeof compareChunkSets> | null;
      nextAgrees: boolean | null;
    };
    const rows: Row[] = [];
    for (const route of firstLoad.routes) {
      const notMeasured = (why: string, path: string | null = null, behindSignIn: boolean | null = null) => {
        say(`  ${(path ?? route.route).padEnd(36)} not loaded: ${why}`);
        rows.push({
          route,
          path,
          behindSignIn,
          notMeasured: why,
          measured: null,
          peer: null,
          browserChunks: null,
          wireBytes: null,
          check: null,
          nextAgrees: null,
        });
      };
      const linked = route.route.includes("[") && !samples.has(route.route) ? await linkedInstance(browser, route.route, sre) : null;
      const path = route.route.includes("[") ? (samples.get(route.route) ?? linked?.path ?? null) : route.route;
      if (!path) {
        notMeasured(`no link to an instance on the pages above it; give one with --sample "${route.route}=/..."`);
        continue;
      }
      if (linked) say(`  ${route.route} as ${path} (a link on ${linked.from})`);
      // Behind sign-in when a visitor without a session is sent to the sign-in page.
      const anonymous = await loadOnce(browser, path);
      const behindSignIn = anonymous.finalPath === "/sign-in" && route.route !== "/sign-in";
      // Every page as the SRE who works in it (those behind sign-in need the session; the others show it in
      // the top bar); the sign-in page as the visitor without one who opens it.
      const session = route.route === "/sign-in" ? undefined : sre;
      // A page that only sends the SRE elsewhere (e.g. /me, a patient's own record) has no paint of its own.
      const probe = await loadOnce(browser, path, session);
      if (probe.finalPath !== new URL(path, origin).pathname || probe.status >= 400) {
        notMeasured(probe.status >= 400 ? `answers the SRE ${probe.status}` : `sends the SRE to ${probe.finalPath}`, path, behindSignIn);
        continue;
      }
      const { page: m, peer } = await measure(browser, path, session, staticPeerPath);
      const browserChunks = [...new Set(m.loads.flatMap((l) => l.scriptResponses.map((u) => chunkPath(new URL(u).pathname) ?? u)))];
      const check = compareChunkSets(route.chunks, browserChunks);
      const countsPerLoad = [...new Set(m.loads.map((l) => l.scriptResponses.length))];
      const wireBytes = m.loads[0]!.scripts.reduce((sum, s) => sum + s.encodedBytes, 0);
      const next = nextOpinion.get(route.route);
      const nextAgrees = next ? compareChunkSets(route.chunks, next).same : null;
      say(
        `  ${path.padEnd(36)} ${describeLcp(m)}; static peer ${ms(peer!.lcpMedianMs)} ms (${(m.lcpMedianMs / peer!.lcpMedianMs).toFixed(1)}x)${m.signedIn ? "; as the SRE" : ""}; LCP element ${m.lcpElement ?? "?"}`,
      );
      say(
        `    scripts per load ${countsPerLoad.join("/")}, manifests ${route.chunks.length}: ${check.same ? "the same chunks" : `differ: missing ${check.missing.join(", ") || "none"}; extra ${check.extra.join(", ") || "none"}`}; ` +
          `${kB(wireBytes)} kB on the wire (the server's own compression)${next ? `; Next's route-bundle-stats ${nextAgrees ? "agrees" : "differs"}` : ""}`,
      );
      rows.push({ route, path, behindSignIn, measured: m, peer, browserChunks, wireBytes, check, nextAgrees });
    }
    const loadAtEnd = loadavg()[0]!;

    // ---- 4. the table and the JSON ----
    const rebuilt = readFileSync(join(nextDir, "BUILD_ID"), "utf8").trim() !== buildId;
    if (rebuilt) say("WARNING: the portal was rebuilt during the run (a source changed); the loads may mix builds: run the bench again");
    const staticLoads = rows.flatMap((r) => r.peer?.loads ?? []);
    const staticPeer = staticLoads.length ? summarize(staticPeerPath, false, staticLoads) : null;
    const jsPass = (b: number) => b < TARGET_FIRST_LOAD_GZIP_BYTES;
    const lcpPass = (x: number) => x < TARGET_LCP_MS;
    const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}x`;
    console.log(
      `\nbench:portal — build ${buildId}, Chromium ${browser.version()}, ${runs} cold loads per page, load average ${loadAtStart.toFixed(1)} -> ${loadAtEnd.toFixed(1)} on ${cpus().length} CPUs (${new Date().toISOString()})`,
    );
    console.log(
      "| route | first-load JS gz kB (< 250) | own kB | scripts browser/manifest | LCP median ms (< 1000) | LCP p90 ms | TTFB ms | x static peer (paired) | x health peer | JS | LCP |",
    );
    console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |");
    for (const r of rows) {
      const m = r.measured;
      const lcp =
        m && r.peer
          ? [ms(m.lcpMedianMs), ms(m.lcpP90Ms), ms(m.ttfbMedianMs), ratio(m.lcpMedianMs, r.peer.lcpMedianMs), ratio(m.lcpMedianMs, health.lcpMedianMs)]
          : ["-", "-", "-", "-", "-"];
      const scripts = r.browserChunks ? `${r.browserChunks.length}/${r.route.chunks.length}` : "-";
      console.log(
        `| ${r.route.route}${r.path && r.path !== r.route.route ? ` (${r.path})` : ""} | ${kB(r.route.gzipBytes)} | ${kB(r.route.own.gzipBytes)} | ${scripts} | ${lcp.join(" | ")} | ${jsPass(r.route.gzipBytes) ? "pass" : "FAIL"} | ${m ? (lcpPass(m.lcpMedianMs) ? "pass" : "FAIL") : `not measured (${r.notMeasured ?? "?"})`} |`,
      );
    }
    if (staticPeer)
      console.log(
        `| peer: static file (${staticPeerPath}, all ${staticLoads.length} paired loads) | - | - | - | ${ms(staticPeer.lcpMedianMs)} | ${ms(staticPeer.lcpP90Ms)} | ${ms(staticPeer.ttfbMedianMs)} | 1.0x | ${ratio(staticPeer.lcpMedianMs, health.lcpMedianMs)} | | |`,
      );
    console.log(
      `| peer: /api/health JSON | - | - | - | ${ms(health.lcpMedianMs)} | ${ms(health.lcpP90Ms)} | ${ms(health.ttfbMedianMs)} | ${staticPeer ? ratio(health.lcpMedianMs, staticPeer.lcpMedianMs) : "-"} | 1.0x | | |`,
    );
    console.log(
      `shared by every page: ${kB(firstLoad.shared.gzipBytes)} kB gzipped (${kB(firstLoad.shared.bytes)} kB raw; ${firstLoad.shared.chunks.map((c) => c.replace("static/chunks/", "")).join(", ")})`,
    );
    console.log(
      "first-load JS: gzip -9 of each chunk the manifests name (root main files + the entries of the page's tree), without the nomodule polyfills; kB = 1,000 bytes; p90 of 7 loads = the slowest",
    );

    const jsMisses = rows.filter((r) => !jsPass(r.route.gzipBytes)).map((r) => r.route.route);
    const lcpMisses = rows.filter((r) => r.measured && !lcpPass(r.measured.lcpMedianMs)).map((r) => r.route.route);
    const unmeasured = rows.filter((r) => !r.measured).map((r) => r.route.route);
    const differs = rows.filter((r) => r.check && !r.check.same).map((r) => r.route.route);
    console.log(`first-load JS < 250 kB: ${jsMisses.length ? `MISSED by ${jsMisses.join(", ")}` : "met by every page"}`);
    console.log(
      `LCP median < 1 s: ${lcpMisses.length ? `MISSED by ${lcpMisses.join(", ")}` : "met by every page measured"}${unmeasured.length ? `; not measured: ${unmeasured.join(", ")}` : ""}`,
    );
    console.log(
      `chunk sets: ${differs.length ? `Chromium's downloads differ from the manifests on ${differs.join(", ")} (see above; both are in the JSON)` : "Chromium downloaded exactly the chunks the manifests name, on every page loaded"}`,
    );

    const lcpJson = (m: Measured) => ({
      path: m.path,
      signedIn: m.signedIn,
      lcpMs: m.lcpMs,
      lcpMedianMs: m.lcpMedianMs,
      lcpP90Ms: m.lcpP90Ms,
      lcpElement: m.lcpElement,
      ttfbMs: m.ttfbMs,
      ttfbMedianMs: m.ttfbMedianMs,
      fcpMs: m.fcpMs,
    });
    const json = {
      bench: "portal",
      measuredAt: new Date().toISOString(),
      buildId,
      rebuiltDuringRun: rebuilt,
      chromium: browser.version(),
      runsPerPage: runs,
      loadAverage: { start: loadAtStart, end: loadAtEnd, cpus: cpus().length },
      targets: { firstLoadGzipBytes: TARGET_FIRST_LOAD_GZIP_BYTES, lcpMedianMs: TARGET_LCP_MS },
      shared: firstLoad.shared,
      routes: rows.map((r) => ({
        route: r.route.route,
        page: r.route.page,
        path: r.path,
        behindSignIn: r.behindSignIn,
        notMeasured: r.notMeasured ?? null,
        firstLoad: {
          chunks: r.route.chunks.map((c) => ({ chunk: c, ...sizes.get(c)! })),
          bytes: r.route.bytes,
          gzipBytes: r.route.gzipBytes,
          ownGzipBytes: r.route.own.gzipBytes,
        },
        browser:
          r.browserChunks && r.check
            ? { chunks: r.browserChunks, wireBytes: r.wireBytes, missing: r.check.missing, extra: r.check.extra, sameAsManifests: r.check.same }
            : null,
        nextRouteBundleStatsAgrees: r.nextAgrees,
        lcp: r.measured ? lcpJson(r.measured) : null,
        staticPeer: r.peer ? { ...lcpJson(r.peer), ratio: r.measured!.lcpMedianMs / r.peer.lcpMedianMs } : null,
        pass: { firstLoadJs: jsPass(r.route.gzipBytes), lcp: r.measured ? lcpPass(r.measured.lcpMedianMs) : null },
      })),
      peers: { static: staticPeer ? lcpJson(staticPeer) : null, health: lcpJson(health) },
    };
    mkdirSync(join(root, "bench", "results"), { recursive: true });
    const out = join(root, "bench", "results", "portal.json");
    writeFileSync(out, `${JSON.stringify(json, null, 2)}\n`);
    say(`figures written to ${out}`);
  } finally {
    await browser.close();
  }
}

// Ctrl-C: the lab's supervisor gets the terminal's SIGINT too and stops its processes; wait for it.
process.once("SIGINT", () => void stopLab().then(() => process.exit(130)));
try {
  await main();
} catch (err) {
  say(`bench:portal: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await stopLab();
}
