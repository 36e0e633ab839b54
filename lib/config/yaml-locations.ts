// The YAML files the lab reads (SLOs, traffic profiles, scenarios): every document of every file, the
// schema of a lab document's envelope (apiVersion, kind, metadata, spec), and where a problem sits in one:
// `file:line` of the key the path ends at, else of the deepest node on the path that exists, and the path
// written the way the file's author reads it.
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { type Document, LineCounter, isMap, isScalar, parseAllDocuments } from "yaml";
import { z } from "zod";
import { LabError } from "../errors/index.ts";

export interface YamlFile {
  file: string;
  text: string;
}

export interface YamlDocument {
  file: string;
  /** The document as plain data. */
  raw: unknown;
  /** `file:line` of the deepest node that exists on a path into the document. */
  at: (path: readonly PropertyKey[]) => string;
}

/**
 * A document of the lab's own kinds (a scenario, a traffic profile): apiVersion pim-lab/v1, its kind, its
 * metadata (a name, then the kind's own fields) and its spec.
 */
export function labDocument<K extends string, M extends z.ZodRawShape, S extends z.ZodType>(kind: K, metadata: M, spec: S) {
  return z.strictObject({
    apiVersion: z.literal("pim-lab/v1"),
    kind: z.literal(kind),
    metadata: z.strictObject({ name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be lower-case letters, digits and -"), ...metadata }),
    spec,
  });
}

/** Every *.yaml / *.yml file of a directory, named relative to `root`, in name order. */
export function readYamlDirectory(dir: string, root = process.cwd()): YamlFile[] {
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  return files.map((f) => ({ file: relative(root, join(dir, f)) || f, text: readFileSync(join(dir, f), "utf8") }));
}

/** Every non-empty document of the files; a document with YAML syntax errors is left out, its errors added to `problems`. */
export function yamlDocuments(files: readonly YamlFile[], problems: string[]): YamlDocument[] {
  const documents: YamlDocument[] = [];
  for (const { file, text } of files) {
    const lines = new LineCounter();
    for (const doc of parseAllDocuments(text, { lineCounter: lines })) {
      if (!("errors" in doc) || !("contents" in doc)) continue;
      for (const e of doc.errors) problems.push(`${file}:${e.linePos?.[0]?.line ?? "?"} ${e.message.split("\n")[0]}`);
      if (doc.errors.length > 0 || doc.contents === null) continue;
      documents.push({ file, raw: doc.toJS(), at: locator(file, doc, lines) });
    }
  }
  return documents;
}

export function locator(file: string, doc: Document.Parsed, lines: LineCounter) {
  return (path: readonly PropertyKey[]) => {
    // A path that ends at a key of a map points at the key's line, even when its value is a block below it.
    const parent = path.length > 0 ? doc.getIn(path.slice(0, -1) as unknown[], true) : undefined;
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === path.at(-1));
      if (pair && isScalar(pair.key) && pair.key.range) return `${file}:${lines.linePos(pair.key.range[0]).line}`;
    }
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

/** Says one problem of a document at the field `path` names. */
export type SayProblem = (path: PropertyKey[], message: string) => void;

/**
 * The lab documents of `files` (scenarios, traffic profiles, exercises), each parsed with `schema`, then
 * checked by `accept`, which says the document's own problems and returns what it becomes; names are
 * unique. Every problem of every file is collected and thrown as one LabError, `file:line field: message`
 * each, so one read shows an author all of them.
 */
export function readLabDocuments<S extends z.ZodType<{ metadata: { name: string } }>, T extends { name: string }>(
  files: readonly YamlFile[],
  schema: S,
  what: { plural: string; field: string },
  accept: (doc: z.output<S>, say: SayProblem) => T,
): T[] {
  const problems: string[] = [];
  const accepted: T[] = [];
  for (const { raw, at } of yamlDocuments(files, problems)) {
    const say: SayProblem = (path, message) => problems.push(`${at(path)} ${fieldPath(path)}: ${message}`);
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) say(issue.path, issue.message);
      continue;
    }
    const before = problems.length;
    const value = accept(parsed.data, say);
    if (problems.length > before) continue;
    if (accepted.some((a) => a.name === value.name)) say(["metadata", "name"], `${value.name} is defined twice`);
    else accepted.push(value);
  }
  if (problems.length > 0) throw new LabError("invalid", `${what.plural} have ${problems.length} problem(s):\n${problems.join("\n")}`, { field: what.field });
  return accepted;
}
