// Runs a prepared lab under the supervisor: the control API on SUPERVISOR_PORT, every process of the
// table started, watched and restarted, short lines for the terminal, and on Ctrl-C or SIGTERM every lease
// reverted before every process is stopped. `npm run lab` runs it in its own process (ADR 0010).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { createTokenVerifier, labSigningKey, tokenTrustOf } from "../../lib/auth/tokens.ts";
import type { LabConfig } from "../../lib/config/index.ts";
import { openSql } from "../../lib/data/lab-databases.ts";
import { labTopology } from "../../lib/data/lab-topology.ts";
import { LabError } from "../../lib/errors/index.ts";
import { DataJobs } from "../../lib/supervisor/data-jobs.ts";
import { LabControl } from "../../lib/supervisor/lab-control.ts";
import { type LabProcessSpec, checkProcessTable, labProcesses } from "../../lib/supervisor/lab-processes.ts";
import { ProcessSupervisor, type SupervisorEvent } from "../../lib/supervisor/process-supervisor.ts";
import { buildSupervisorServer } from "./server.ts";

export interface SuperviseLabOptions {
  config: LabConfig;
  root: string;
  /** The environment every process starts with (each reads the lab's config from it). */
  env: Record<string, string | undefined>;
  /** The whole lab's table unless given (tests run a few). */
  specs?: LabProcessSpec[];
  say?: (line: string) => void;
  stopGraceMs?: number;
}

export interface SupervisedLab {
  supervisor: ProcessSupervisor;
  control: LabControl;
  app: FastifyInstance;
  url: string;
  /** Reverts every lease, closes the API, stops every process (SIGTERM, SIGKILL after the grace). Once. */
  stop(): Promise<void>;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function eventLine(e: SupervisorEvent, logDir: string): string | null {
  switch (e.kind) {
    case "ready":
      return `${e.name} ready (pid ${e.pid}, ${seconds(e.afterMs)})`;
    case "crashed":
      return `${e.name} exited unexpectedly (${e.signal ? `signal ${e.signal}` : `code ${e.code}`})`;
    case "restarting":
      return `${e.name} restarting in ${seconds(e.delayMs)}`;
    case "failed":
      return `${e.name} failed: ${e.reason}; not restarted until an SRE restarts it (see ${join(logDir, `${e.name}.log`)})`;
    case "paused":
    case "resumed":
      return `${e.name} ${e.kind} (pid ${e.pid})`;
    default:
      return null;
  }
}

/** Starts the control API and every process; resolves once they are started (not yet ready). */
export async function startLabSupervisor(options: SuperviseLabOptions): Promise<SupervisedLab> {
  const { config } = options;
  const say = options.say ?? (() => undefined);
  const specs = options.specs ?? labProcesses(config, options.root);
  checkProcessTable(specs, config.supervisorPort);
  const logDir = join(config.dataDir, "logs");
  mkdirSync(logDir, { recursive: true });
  const controlDb = openSql(labTopology(config).control);
  const supervisor = new ProcessSupervisor({ specs, logDir, env: options.env, cwd: options.root, stopGraceMs: options.stopGraceMs });
  supervisor.subscribe((e) => {
    const line = eventLine(e, logDir);
    if (line) say(`lab: ${line}`);
  });
  const control = new LabControl({
    supervisor,
    control: controlDb,
    tokenKey: labSigningKey(config.privacySecret),
    notice: (line) => say(`lab: ${line}`),
    shards: labTopology(config).shards,
  });
  supervisor.subscribe(control.onProcessEvent);
  const jobs = new DataJobs({ root: options.root, env: options.env, control: controlDb });
  const app = buildSupervisorServer(control, createTokenVerifier(tokenTrustOf(config)), {
    logLevel: config.logLevel,
    logFile: join(logDir, "supervisor.log"),
    jobs,
  });
  try {
    // The control API first: a second lab on the same ports stops here, before it starts anything.
    await app.listen({ host: "127.0.0.1", port: config.supervisorPort }).catch((err: NodeJS.ErrnoException) => {
      throw err.code === "EADDRINUSE"
        ? new LabError("setup", `port ${config.supervisorPort} is taken (is another lab running? npm run lab:status); or set SUPERVISOR_PORT`, {
            field: "SUPERVISOR_PORT",
          })
        : err;
    });
    await supervisor.start();
  } catch (err) {
    await app.close();
    await controlDb.close();
    throw err;
  }
  let stopping: Promise<void> | null = null;
  return {
    supervisor,
    control,
    app,
    url: `http://127.0.0.1:${config.supervisorPort}`,
    stop: () =>
      (stopping ??= (async () => {
        await control.revertAllForShutdown();
        await app.close();
        jobs.stop();
        await supervisor.stop();
        await controlDb.close();
      })()),
  };
}

/**
 * Runs the lab until Ctrl-C, SIGTERM or SIGHUP: waits for every process to be ready, prints the URLs, the
 * startup time and the lab's memory, and stops everything cleanly. A second Ctrl-C kills at once.
 */
export async function superviseLab(options: SuperviseLabOptions & { startedAt: number }): Promise<void> {
  const say = options.say ?? console.log;
  const lab = await startLabSupervisor({ ...options, say });
  // Last resort if this process dies some other way: no process of the lab outlives it.
  process.once("exit", () => lab.supervisor.killAllNow());
  let signalled: string | null = null;
  let stopRequested!: () => void;
  const stopping = new Promise<void>((resolve) => (stopRequested = resolve));
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      lab.supervisor.killAllNow();
      process.exit(130);
    }
    signalled = signal;
    say(`lab: stopping (${signal}): reverting every lease, then SIGTERM to every process`);
    stopRequested();
  };
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const s of signals) process.on(s, onSignal);
  const ready = lab.supervisor.waitUntilReady(options.config.readyTimeoutSeconds * 1000).then(
    () => null,
    (err: unknown) => err,
  );
  const notReady = await Promise.race([ready, stopping.then(() => null)]);
  if (notReady && !signalled) {
    say("lab: stopping: not every process came up");
    await lab.stop();
    throw notReady;
  }
  if (!signalled) say(readyText(options.config, lab, Date.now() - options.startedAt));
  await stopping;
  await lab.stop();
  for (const s of signals) process.off(s, onSignal);
  say("lab: stopped");
}

function readyText(config: LabConfig, lab: SupervisedLab, startupMs: number): string {
  const status = lab.control.status();
  const mb = (bytes: number) => Math.round(bytes / 1e6).toLocaleString("en-US");
  const base = `http://127.0.0.1:${config.portalPort}`;
  return `lab: ready in ${seconds(startupMs)}; memory ${mb(status.totalRssBytes)} MB RSS of the ${mb(status.memoryBudgetBytes)} MB budget (npm run lab:status)
  portal     ${base}/
  health     ${base}/api/health
  gateway    http://127.0.0.1:${config.gateway.port}/ (the API: bearer token required; /healthz, /readyz open)
  clinical   http://127.0.0.1:${config.clinicalPort}/  billing http://127.0.0.1:${config.billingPort}/ (behind the gateway)
  projector  http://127.0.0.1:${config.projectorPort}/_lab/events/status (outbox relay, read models, dead letters; ${config.events.bus} bus)
  SLOs       http://127.0.0.1:${config.gateway.port}/_lab/slos (${config.prometheus.url ? `from Prometheus at ${config.prometheus.url}` : "from the embedded rollups"}); every process serves /metrics
  supervisor ${lab.url}/_lab/processes (status, kill, pause, resume, restart, fault switches with deadlines; SRE token)
  logs       ${join(config.dataDir, "logs")}/<process>.log
Press Ctrl-C to stop.`;
}
