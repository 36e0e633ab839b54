// Runs one of the lab's command scripts as a user would, in a clean environment (only what the test sets,
// plus PATH and HOME), and returns its exit code and output instead of throwing.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "./test-labs.ts";

const run = promisify(execFile);

export interface ScriptResult {
  code: number;
  out: string;
  err: string;
}

export async function runScript(script: string, args: readonly string[], env: Record<string, string>): Promise<ScriptResult> {
  const childEnv: NodeJS.ProcessEnv = { NODE_ENV: "test", PATH: process.env.PATH, HOME: process.env.HOME, ...env };
  try {
    const r = await run(join(repoRoot, "node_modules/.bin/tsx"), [join(repoRoot, script), ...args], { cwd: repoRoot, env: childEnv });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout, err: e.stderr };
  }
}
