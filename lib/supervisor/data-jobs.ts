// The lab's data jobs, started from the portal's admin page through the supervisor: synthetic data
// generation (npm run lab:generate) and a read-model replay (npm run lab:replay), each run as the same
// command a person would type, one at a time, with its progress lines kept and its start and end audited.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { z } from "zod";
import type { Actor } from "../auth/roles.ts";
import type { SqlDatabase } from "../data/sql-database.ts";
import { LabError } from "../errors/index.ts";
import { recordSupervisorAction } from "./supervisor-audit.ts";

export const DataJobRequest = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("generate"),
    patients: z.number().int().min(1).max(100_000),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1),
  }),
  z.strictObject({
    kind: z.literal("replay"),
    since: z
      .string()
      .regex(/^[1-9][0-9]{0,3}[mhd]$/, "a window such as 30m, 24h or 7d")
      .optional(),
  }),
]);
export type DataJobRequest = z.infer<typeof DataJobRequest>;

export interface DataJob {
  id: string;
  kind: DataJobRequest["kind"];
  request: DataJobRequest;
  startedBy: string;
  requestId: string | null;
  startedAt: string;
  endedAt: string | null;
  state: "running" | "succeeded" | "failed";
  exitCode: number | null;
  /** The job's last output lines (progress bars print a line every few seconds off a terminal). */
  output: string[];
}

const KEEP_LINES = 20;

export interface DataJobsOptions {
  root: string;
  env: Record<string, string | undefined>;
  control: SqlDatabase;
  /** The command for a request; tests give their own. */
  command?: (request: DataJobRequest) => { command: string; args: string[] };
}

/** npm run lab:generate / lab:replay, without npm: node with tsx, as the lab's processes run. */
export function dataJobCommand(root: string, request: DataJobRequest): { command: string; args: string[] } {
  const script = join(root, "scripts", request.kind === "generate" ? "lab-generate.ts" : "lab-replay.ts");
  const args =
    request.kind === "generate" ? ["--patients", String(request.patients), "--seed", String(request.seed)] : request.since ? ["--since", request.since] : [];
  return { command: process.execPath, args: ["--import", "tsx", script, ...args] };
}

export class DataJobs {
  private readonly jobs: DataJob[] = [];
  private running: ChildProcess | null = null;
  private sequence = 0;

  constructor(private readonly options: DataJobsOptions) {}

  list(): DataJob[] {
    return [...this.jobs].reverse();
  }

  get(id: string): DataJob {
    const job = this.jobs.find((j) => j.id === id);
    if (!job) throw new LabError("not_found", `no data job ${id}`, { field: "jobId" });
    return job;
  }

  async start(actor: Pick<Actor, "userId" | "role">, request: DataJobRequest, meta: { requestId: string | null; traceId: string | null }): Promise<DataJob> {
    const busy = this.jobs.find((j) => j.state === "running");
    if (busy) throw new LabError("conflict", `data job ${busy.id} (${busy.kind}) is still running; one at a time`, { field: "kind" });
    const job: DataJob = {
      id: `job-${Date.now().toString(36)}-${++this.sequence}`,
      kind: request.kind,
      request,
      startedBy: actor.userId,
      requestId: meta.requestId,
      startedAt: new Date().toISOString(),
      endedAt: null,
      state: "running",
      exitCode: null,
      output: [],
    };
    this.jobs.push(job);
    if (this.jobs.length > 50) this.jobs.shift();
    const title =
      request.kind === "generate"
        ? `data generation of ${request.patients} patients (seed ${request.seed})`
        : `read-model replay${request.since ? ` of the last ${request.since}` : ""}`;
    await this.audit(actor, `supervisor.data-${request.kind}`, `${title} started`, job, meta);
    const { command, args } = (this.options.command ?? ((r) => dataJobCommand(this.options.root, r)))(request);
    const child = spawn(command, args, {
      cwd: this.options.root,
      env: { ...this.options.env, FORCE_COLOR: "0" } as unknown as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.running = child;
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split(/\r?\n|\r/)) {
        const clean = line.trim();
        if (clean) job.output.push(clean.slice(0, 300));
      }
      if (job.output.length > KEEP_LINES) job.output.splice(0, job.output.length - KEEP_LINES);
    };
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    child.on("close", (code, signal) => {
      this.running = null;
      job.exitCode = code;
      job.state = code === 0 ? "succeeded" : "failed";
      job.endedAt = new Date().toISOString();
      if (signal) job.output.push(`stopped by ${signal}`);
      void this.audit(actor, `supervisor.data-${request.kind}`, `${title} ${job.state}`, job, meta, job.state === "succeeded" ? "success" : "failed").catch(
        () => undefined,
      );
    });
    child.on("error", (err) => job.output.push(`could not start: ${err.message}`));
    return job;
  }

  /** Stops a running job (the lab is stopping). */
  stop(): void {
    this.running?.kill("SIGTERM");
  }

  private audit(
    actor: Pick<Actor, "userId" | "role">,
    action: string,
    title: string,
    job: DataJob,
    meta: { requestId: string | null; traceId: string | null },
    outcome: "success" | "failed" = "success",
  ) {
    return recordSupervisorAction(this.options.control, {
      actor,
      action,
      target: "lab",
      deadline: null,
      title,
      details: { job: job.id, request: job.request, exitCode: job.exitCode },
      requestId: meta.requestId,
      traceId: meta.traceId,
      outcome,
    });
  }
}
