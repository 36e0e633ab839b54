// npm run lab:status: the running lab's processes as its supervisor sees them (state, pid, uptime, restarts,
// memory) and the whole lab's memory against its 1.5 GB budget, asked as sre.demo with a short-lived token.
import { issueLabToken, labSigningKey } from "../lib/auth/tokens.ts";
import { loadConfig } from "../lib/config/index.ts";
import { openLabDatabases } from "../lib/data/lab-databases.ts";
import { demoPersonaActor } from "../lib/data/reference-data.ts";
import { LabError } from "../lib/errors/index.ts";
import type { LabStatus } from "../lib/supervisor/lab-control.ts";
import type { FaultLease } from "../lib/supervisor/fault-leases.ts";
import { runCommand } from "./cli.ts";

const mb = (bytes: number) => Math.round(bytes / 1e6).toLocaleString("en-US");

function uptime(seconds: number | null): string {
  if (seconds === null) return "-";
  const s = Math.floor(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor(s / 60) % 60).padStart(2, "0")}m`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => (i >= 2 && i <= 5 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

async function sreToken(config: ReturnType<typeof loadConfig>): Promise<string> {
  const lab = await openLabDatabases(config);
  try {
    const actor = await demoPersonaActor(lab, "sre");
    return await issueLabToken(labSigningKey(config.privacySecret), actor, { ttlSeconds: 300 });
  } finally {
    await lab.close();
  }
}

runCommand("lab:status", async () => {
  const config = loadConfig();
  const url = `http://127.0.0.1:${config.supervisorPort}`;
  const running = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) }).then(
    (r) => r.ok,
    () => false,
  );
  if (!running)
    throw new LabError(
      "unavailable",
      `no lab is running: no supervisor answers at ${url} (start one with npm run lab, or set SUPERVISOR_PORT to the one it runs on)`,
    );
  const headers = { authorization: `Bearer ${await sreToken(config)}` };
  const res = await fetch(`${url}/_lab/processes`, { headers });
  if (!res.ok)
    throw new LabError("unavailable", `the supervisor at ${url} answered ${res.status}: ${((await res.json()) as { detail?: string }).detail ?? ""}`);
  const status = (await res.json()) as LabStatus;
  const { leases } = (await (await fetch(`${url}/_lab/leases`, { headers })).json()) as { leases: (Omit<FaultLease, "deadlineAt"> & { deadlineAt: string })[] };

  const rows = [["process", "state", "pid", "uptime", "restarts", "RSS MB", "last exit"]];
  for (const p of status.processes) {
    const exit = p.lastExit ? (p.lastExit.signal ? p.lastExit.signal : `code ${p.lastExit.code}`) : "-";
    rows.push([
      p.name,
      p.state,
      p.pid === null ? "-" : String(p.pid),
      uptime(p.uptimeSeconds),
      String(p.restarts),
      mb(p.rssBytes),
      p.failure ? `${exit} (${p.failure})` : exit,
    ]);
  }
  rows.push(["supervisor", "running", String(status.supervisor.pid), uptime(null), "-", mb(status.supervisor.rssBytes), "-"]);
  console.log(table(rows));
  const share = Math.round((100 * status.totalRssBytes) / status.memoryBudgetBytes);
  const verdict = status.totalRssBytes <= status.memoryBudgetBytes ? "within" : "OVER";
  console.log(`\nlab memory: ${mb(status.totalRssBytes)} MB RSS of the ${mb(status.memoryBudgetBytes)} MB budget (${share} %, ${verdict} budget)`);
  for (const l of leases)
    console.log(
      `lease ${l.id} taken by ${l.takenBy}, reverted by the supervisor at ${l.deadlineAt}${l.lastError ? ` (last revert failed: ${l.lastError})` : ""}`,
    );
});
