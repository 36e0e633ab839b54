import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { childrenOf, processTree, rssBytesOf, treeRssBytes } from "./process-memory.ts";

const dir = mkdtempSync(join(tmpdir(), "pimlab-proc-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A /proc-shaped tree: pid -> [rss kB or null for a zombie, { tid: children }]. */
function fakeProc(processes: Record<number, [number | null, Record<number, number[]>]>): string {
  const root = mkdtempSync(join(dir, "proc-"));
  for (const [pid, [rssKb, tasks]] of Object.entries(processes)) {
    mkdirSync(join(root, pid), { recursive: true });
    writeFileSync(join(root, pid, "status"), `Name:\tnode\nPid:\t${pid}\n${rssKb === null ? "" : `VmRSS:\t  ${rssKb} kB\n`}Threads:\t1\n`);
    for (const [tid, children] of Object.entries(tasks)) {
      mkdirSync(join(root, pid, "task", tid), { recursive: true });
      writeFileSync(join(root, pid, "task", tid, "children"), children.length ? `${children.join(" ")} ` : "");
    }
  }
  return root;
}

describe("process memory from /proc", () => {
  it("adds the RSS of a process and its descendants, found through every thread's children", () => {
    const proc = fakeProc({
      10: [100, { 10: [11], 15: [12] }], // a child forked from a second thread
      11: [50, { 11: [13] }],
      12: [null, { 12: [] }], // a zombie: no VmRSS
      13: [25, { 13: [] }],
      99: [1000, { 99: [] }], // not ours
    });
    expect(childrenOf(10, proc).sort()).toEqual([11, 12]);
    expect(processTree(10, proc).sort()).toEqual([10, 11, 12, 13]);
    expect(rssBytesOf(12, proc)).toBe(0);
    expect(treeRssBytes(10, proc)).toBe((100 + 50 + 25) * 1024);
    expect(treeRssBytes(11, proc)).toBe(75 * 1024);
  });

  it("counts a process that has gone as 0 and a child that has gone as nothing", () => {
    const proc = fakeProc({ 20: [40, { 20: [21] }] }); // 21 exited after the parent's list was read
    expect(treeRssBytes(20, proc)).toBe(40 * 1024);
    expect(treeRssBytes(4242, proc)).toBe(0);
  });

  it("sees a real child process and its own child in this process's tree", async () => {
    const children: ChildProcess[] = [];
    let tree: number[] = [];
    try {
      // A node child that starts a sleep of its own: both must be in the tree.
      const child = spawn(process.execPath, ["-e", "require('node:child_process').spawn('sleep', ['30'], { stdio: 'inherit' }); setInterval(() => {}, 1000)"], {
        stdio: "ignore",
      });
      children.push(child);
      for (let i = 0; i < 100 && tree.length < 2; i++) {
        await new Promise((r) => setTimeout(r, 50));
        tree = processTree(child.pid!);
      }
      expect(tree).toHaveLength(2);
      expect(rssBytesOf(child.pid!)).toBeGreaterThan(10 * 1024 * 1024);
      expect(treeRssBytes(child.pid!)).toBeGreaterThan(rssBytesOf(child.pid!));
      expect(processTree(process.pid)).toEqual(expect.arrayContaining(tree));
    } finally {
      for (const pid of tree.reverse()) process.kill(pid, "SIGKILL");
      for (const c of children) c.kill("SIGKILL");
    }
  });
});
