import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { carryNicenessToSession, leadsItsSession } from "./session-niceness.ts";

// A child in a session of its own (setsid), started by a process under `nice -n 7`: its session's autogroup
// reads "nice 0" until the parent carries its own niceness over.
const script = `
  const { spawn } = require("node:child_process");
  const { readFileSync } = require("node:fs");
  const child = spawn("sleep", ["5"], { detached: true, stdio: "ignore" });
  const before = readFileSync("/proc/" + child.pid + "/autogroup", "utf8").trim();
  import(process.argv[1]).then(({ carryNicenessToSession }) => {
    const carried = carryNicenessToSession(child.pid);
    const after = readFileSync("/proc/" + child.pid + "/autogroup", "utf8").trim();
    child.kill();
    console.log(JSON.stringify({ niceness: require("node:os").getPriority(), before, carried, after }));
  });
`;

describe("a niced process's own sessions", () => {
  it.runIf(existsSync("/proc/self/autogroup"))("get its niceness, where autogroup scheduling would share the CPU between sessions", () => {
    const run = spawnSync("nice", ["-n", "7", process.execPath, "--import", "tsx", "-e", script, new URL("./session-niceness.ts", import.meta.url).pathname], {
      encoding: "utf8",
    });
    expect(run.status, run.stderr).toBe(0);
    const { niceness, before, carried, after } = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as {
      niceness: number;
      before: string;
      carried: boolean;
      after: string;
    };
    expect(niceness).toBeGreaterThanOrEqual(7); // 7 more than the test runner's own
    expect(before).toMatch(/ nice 0$/);
    expect(carried).toBe(true);
    expect(after).toMatch(new RegExp(` nice ${niceness}$`));
  });

  it("leaves a process at the default niceness as it is, and never touches a session it does not lead", () => {
    expect(carryNicenessToSession(process.pid, 0)).toBe(false);
    expect(leadsItsSession(process.pid)).toBe(false); // the test runner's worker is in its runner's session
    expect(carryNicenessToSession(process.pid, 19)).toBe(false);
  });
});
