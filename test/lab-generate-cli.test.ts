// `npm run lab:generate` refuses bad input with one line saying what is wrong and what to do, exit code 2,
// and writes nothing.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runScript } from "./support/run-script.ts";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function generateIn(dir: string, args: string[], env: Record<string, string> = {}) {
  const r = await runScript("scripts/lab-generate.ts", args, { LAB_DATA_DIR: dir, ...env });
  return { code: r.code, stderr: r.err, stdout: r.out, dir };
}

async function generate(args: string[], env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "pimlab-cli-"));
  dirs.push(dir);
  return generateIn(dir, args, env);
}

describe("lab:generate on bad input", () => {
  it.each([
    [["--patients", "lots"], /--patients must be a whole number \(got "lots"\)/],
    [["--patients", "0"], /--patients must be at least 1/],
    [["--seed=-3"], /--seed must be 0 or more/],
    [["--seed", "-3"], /--seed. argument is ambiguous/],
    [["--seed", "1.5"], /--seed must be a whole number/],
    [["--patients"], /argument missing|usage: npm run lab:generate/],
    [["--colour", "red"], /Unknown option '--colour'; usage: npm run lab:generate/],
  ])("%j exits 2 with one line naming the problem, before touching any database", async (args, message) => {
    const r = await generate(args);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(r.dir, "control.db"))).toBe(false);
  });

  it("exits 2 naming the unreachable server and what to do when DATABASE_URL cannot be reached", async () => {
    const r = await generate(["--patients", "5"], {
      LAB_MODE: "full",
      DATABASE_URL: "postgresql://postgres@127.0.0.1:1/none",
      LAB_SECRET: "cli-test-secret-0123456789",
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /cannot open the control database at postgresql:\/\/postgres@127\.0\.0\.1:1\/pimlab_control: .*; start PostgreSQL or fix DATABASE_URL/,
    );
  });

  it("exits 2 when the shard count does not match the lab's databases, and leaves the data as it was", async () => {
    const first = await generate(["--patients", "20", "--seed", "1"]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/20 patients written/);
    const r = await generateIn(first.dir, ["--patients", "40"], { LAB_SHARD_COUNT: "8" });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/LAB_SHARD_COUNT is 8 but this lab's databases were created with 4 shards; set LAB_SHARD_COUNT=4/);
    expect(existsSync(join(first.dir, "shard-4.db"))).toBe(false);
    const again = await generateIn(first.dir, ["--patients", "20", "--seed", "1"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/0 patients written, 20 already there/);
  });

  it("exits 2 listing every bad environment variable", async () => {
    const r = await generate(["--patients", "5"], { LAB_SHARD_COUNT: "many", LAB_MODE: "cloud" });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/LAB_MODE: .*\(got "cloud"\)/);
    expect(r.stderr).toMatch(/LAB_SHARD_COUNT: .*\(got "many"\)/);
  });
});
