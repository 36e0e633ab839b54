// What every command-line entry point shares: the repository root, and one way to fail.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { LabError } from "../lib/errors/index.ts";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Runs a command; an expected failure prints one line (or the config's list) and exits with code 2. */
export function runCommand(name: string, main: () => Promise<void>): void {
  main().then(
    () => process.exit(process.exitCode ?? 0),
    (err: unknown) => {
      if (err instanceof LabError && err.problems.length > 0) {
        console.error(`${name}: ${err.message}`); // one line per problem
        process.exit(2);
      }
      if (err instanceof LabError) {
        console.error(`${name}: ${err.message.replace(/\s*\n\s*/g, " ")}`);
        process.exit(2);
      }
      console.error(`${name}: unexpected failure`, err);
      process.exit(1);
    },
  );
}
