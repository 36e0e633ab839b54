// Lab processes for a test that needs them on real sockets without the supervisor: each started as npm run
// lab starts it (node with tsx as a loader, `backend-services/<name>/main.ts`), all stopped together.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import type { TestLabEnv } from "./lab-ports.ts";
import { repoRoot } from "./test-labs.ts";
import { waitUntil } from "./wait-until.ts";

export interface ProcessGroup {
  /** Starts `name` on the group's environment and `env` over it; resolves once it answers /readyz at `port`. */
  start(name: string, port: number, env?: Record<string, string>): Promise<ChildProcess>;
  /** SIGTERM to every process the group started, and their exits. */
  stop(): Promise<void>;
}

/** A group on `env`; `output` gets what its processes write (without it, their stderr goes to the test's). */
export function processGroup(env: TestLabEnv, output?: (text: string) => void): ProcessGroup {
  const children: ChildProcess[] = [];
  return {
    async start(name, port, overrides = {}) {
      const child = spawn(process.execPath, ["--import", "tsx", join(repoRoot, "backend-services", name, "main.ts")], {
        cwd: repoRoot,
        env: { ...env, ...overrides },
        stdio: output ? ["ignore", "pipe", "pipe"] : ["ignore", "ignore", "inherit"],
      });
      children.push(child);
      for (const stream of [child.stdout, child.stderr]) stream?.on("data", (b: Buffer) => output?.(b.toString()));
      await waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok, 60_000, `${name} ready`);
      return child;
    },
    async stop() {
      for (const c of children) c.kill("SIGTERM");
      await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once("exit", r)))));
    },
  };
}
