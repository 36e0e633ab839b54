// A process started in a session of its own (the supervisor's detached children, a browser a test runner
// launches) keeps the niceness it inherits, but under Linux's autogroup scheduling the CPU is shared out
// between sessions first, and a new session's group competes at nice 0: `nice npm run lab` would nice
// nothing that matters. Giving the new session's group the niceness of the process that started it keeps
// `nice` meaning what it says (ADR 0031). Elsewhere (no /proc/<pid>/autogroup) there is nothing to carry.
import { readFileSync, writeFileSync } from "node:fs";
import { getPriority } from "node:os";

/** Whether `pid` leads its session: started in one of its own (setsid), not in its parent's. */
export function leadsItsSession(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // After the command's name in parentheses: state, ppid, pgrp, session.
    const session = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[3]);
    return session === pid;
  } catch {
    return false;
  }
}

/**
 * Sets the autogroup of `pid`'s session to `niceness` (the calling process's, by default) when it is above
 * 0 and `pid` leads that session: a process in its parent's session must not nice the parent's whole group.
 * Best effort: a kernel without autogroup, or a process already gone, leaves things as they were.
 */
export function carryNicenessToSession(pid: number, niceness = getPriority()): boolean {
  if (niceness <= 0) return false; // the default: nothing to carry, and raising a priority needs privileges
  if (!leadsItsSession(pid)) return false;
  try {
    writeFileSync(`/proc/${pid}/autogroup`, String(Math.min(niceness, 19)));
    return true;
  } catch {
    return false;
  }
}
