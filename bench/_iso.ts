import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { labSigningKey, issueLabToken } from "../lib/auth/tokens.ts";
import { loadConfig } from "../lib/config/index.ts";
import { openLabDatabases, prepareLabDatabases } from "../lib/data/lab-databases.ts";
import { generateLabData } from "../lib/synth/generate-lab-data.ts";
const root = join(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "iso-"));
const env = { ...process.env, LAB_DATA_DIR: dir, LAB_SECRET: "bench-api-secret-0123456789", CLINICAL_PORT: "4801", BILLING_PORT: "4802", GATEWAY_PORT: "4800", GATEWAY_RATE_PER_MINUTE: "1000000", LOG_LEVEL: "warn" };
const config = loadConfig(env);
const children: ChildProcess[] = [];
const prof = process.env.PROF_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.PROF_DIR}`] : process.env.PERF ? ["--perf-basic-prof"] : [];
const start = (script: string) => { const c = spawn(process.execPath, [...(script.includes(process.env.PROF_ONLY ?? "none") ? prof : []), "--import", "tsx", join(root, script)], { env, stdio: ["ignore", "ignore", "inherit"] }); children.push(c); return c; };
const waitFor = async (url: string) => { for (let i = 0; i < 300; i++) { try { if ((await fetch(url)).ok) return; } catch {} await new Promise((r) => setTimeout(r, 100)); } throw new Error(url); };
const cpu = (pid: number) => { const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" "); return (Number(f[11]) + Number(f[12])) * 10; };
const cannon = (o: autocannon.Options) => new Promise<autocannon.Result>((res, rej) => autocannon(o, (e, r) => (e ? rej(e) : res(r))));
try {
  await prepareLabDatabases(config, root);
  const lab = await openLabDatabases(config);
  await generateLabData(lab, { patients: 2000, seed: 42 });
  const ids = (await Promise.all(lab.shards.map((s) => s.prisma.patient.findMany({ where: { facilityId: "fac-0001" }, select: { id: true } })))).flat().map((p) => p.id);
  await lab.close();
  const token = await issueLabToken(labSigningKey(config.privacySecret), { userId: "usr-bench", role: "clinician", facilityId: "fac-0001", patientId: null }, { ttlSeconds: 3600 });
  const clinical = start("backend-services/clinical/main.ts");
  const billing = start("backend-services/billing/main.ts");
  const gateway = start("backend-services/gateway/main.ts");
  await waitFor("http://127.0.0.1:4800/readyz");
  const requests = ids.flatMap((id) => [{ method: "GET" as const, path: `/patients/${id}` }, { method: "GET" as const, path: `/patients/${id}/encounters?limit=10` }]);
  const procs = [clinical, gateway];
  for (const [label, port] of (process.env.TARGETS ?? "clinical:4801,gateway:4800").split(",").map((x) => x.split(":"))) {
    await cannon({ url: `http://127.0.0.1:${port}`, connections: 32, duration: 3, headers: { authorization: `Bearer ${token}` }, requests });
    const b = procs.map((p) => cpu(p.pid!)); const bs = process.cpuUsage();
    if (process.env.PERF) spawn("perf", ["record", "-F", "999", "-g", "-p", String((label === "clinical" ? clinical : gateway).pid), "-o", `/work/main/.lab/perf-${label}.data`, "--", "sleep", "8"], { stdio: "ignore" });
    const r = await cannon({ url: `http://127.0.0.1:${port}`, connections: Number(process.env.CONNS ?? 32), duration: 10, headers: { authorization: `Bearer ${token}` }, requests });
    const a = procs.map((p) => cpu(p.pid!)); const as = process.cpuUsage(bs);
    console.log(`${label}: ${Math.round(r.requests.average)} req/s p50 ${r.latency.p50} p99 ${r.latency.p99} non2xx ${r.non2xx}; µs/req clinical ${Math.round((a[0]! - b[0]!) * 1000 / r.requests.total)} gateway ${Math.round((a[1]! - b[1]!) * 1000 / r.requests.total)} autocannon ${Math.round((as.user + as.system) / r.requests.total)}`);
  }
} finally {
  for (const c of children) c.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 800));
  rmSync(dir, { recursive: true, force: true });
}
