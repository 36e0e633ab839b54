// Resident memory of a lab process and everything it started, from /proc (Linux): VmRSS of each process,
// children from /proc/<pid>/task/<tid>/children. A process that has gone counts 0.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

function read(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null; // the process (or thread) ended while we looked
  }
}

/** VmRSS of one process in bytes; 0 when it has gone or holds no memory (a zombie). */
export function rssBytesOf(pid: number, procRoot = "/proc"): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(read(join(procRoot, String(pid), "status")) ?? "");
  return m ? Number(m[1]) * 1024 : 0;
}

/** The direct children of a process, across all of its threads (any thread may have forked). */
export function childrenOf(pid: number, procRoot = "/proc"): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(join(procRoot, String(pid), "task"));
  } catch {
    return [];
  }
  return tasks.flatMap((tid) => (read(join(procRoot, String(pid), "task", tid, "children")) ?? "").split(/\s+/).filter(Boolean).map(Number));
}

/** The process and all its descendants. */
export function processTree(pid: number, procRoot = "/proc"): number[] {
  const seen = new Set<number>();
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.shift()!;
    if (seen.has(next)) continue;
    seen.add(next);
    queue.push(...childrenOf(next, procRoot));
  }
  return [...seen];
}

/** RSS of a process and its descendants (the portal's next-server child, a worker a service forked). */
export function treeRssBytes(pid: number, procRoot = "/proc"): number {
  return processTree(pid, procRoot).reduce((sum, p) => sum + rssBytesOf(p, procRoot), 0);
}
