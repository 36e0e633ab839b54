// Files generated from the lab's sources into deploy/ (SLO rules and dashboards, Chaos Mesh experiments):
// written when missing or stale, removed when their source is gone; with `check` nothing is changed and a
// stale tree exits 1 naming each file, which the tests and CI run.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface GeneratedTree {
  /** The directory the files go into, and its name as people know it (for messages). */
  dir: string;
  label: string;
  /** Subdirectories to look into for left-over files ("" for the directory itself). */
  subdirs: readonly string[];
  /** path (relative to dir) -> text. */
  wanted: ReadonlyMap<string, string>;
  /** The command that regenerates them. */
  regenerate: string;
}

export function syncGeneratedFiles(tree: GeneratedTree, check: boolean): { written: number; removed: number; unchanged: number } {
  const present = tree.subdirs.flatMap((sub) => {
    try {
      return readdirSync(join(tree.dir, sub))
        .filter((f) => /\.(ya?ml|json)$/.test(f))
        .map((f) => (sub ? `${sub}/${f}` : f));
    } catch {
      return [];
    }
  });
  const stale = [...tree.wanted]
    .filter(([path, text]) => {
      try {
        return readFileSync(join(tree.dir, path), "utf8") !== text;
      } catch {
        return true;
      }
    })
    .map(([path]) => path);
  const leftOver = present.filter((p) => !tree.wanted.has(p));
  if (check) {
    if (stale.length + leftOver.length > 0) {
      console.error(
        `${tree.label} is not current (run ${tree.regenerate}):\n${[...stale.map((p) => `  stale or missing: ${p}`), ...leftOver.map((p) => `  left over: ${p}`)].join("\n")}`,
      );
      process.exit(1);
    }
    return { written: 0, removed: 0, unchanged: tree.wanted.size };
  }
  for (const path of stale) {
    mkdirSync(dirname(join(tree.dir, path)), { recursive: true });
    writeFileSync(join(tree.dir, path), tree.wanted.get(path)!);
  }
  for (const path of leftOver) rmSync(join(tree.dir, path));
  return { written: stale.length, removed: leftOver.length, unchanged: tree.wanted.size - stale.length };
}
