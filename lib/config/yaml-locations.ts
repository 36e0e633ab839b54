// Where a problem sits in a YAML file the lab reads (SLOs, traffic profiles): `file:line` of the deepest
// node on the path that exists, and the path written the way the file's author reads it.
import type { Document, LineCounter } from "yaml";

export function locator(file: string, doc: Document.Parsed, lines: LineCounter) {
  return (path: readonly PropertyKey[]) => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === "object" && node.range) return `${file}:${lines.linePos(node.range[0]).line}`;
    }
    return `${file}:1`;
  };
}

export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`)).join("") || "(document)";
}
