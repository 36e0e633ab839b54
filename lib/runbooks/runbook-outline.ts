// A runbook's outline as the check and the portal read it: its headings (with the anchors GitHub and the
// portal give them) and its links (with their line and the section they sit in). One reading of the
// Markdown, by the same parser the portal renders with, so a link the check passed is a link the page shows.
import { Lexer, type Token } from "marked";

export interface RunbookHeading {
  depth: number;
  text: string;
  /** The anchor: `## Alert tiers` is #alert-tiers; a repeated heading gets -1, -2 as on GitHub. */
  slug: string;
  line: number;
}

export interface RunbookLink {
  href: string;
  line: number;
  /** The anchor of the `##` section the link sits in ("" before the first one). */
  section: string;
}

export interface RunbookOutline {
  headings: RunbookHeading[];
  links: RunbookLink[];
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces as hyphens. */
export function headingSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .trim()
    .replace(/\s/g, "-");
}

/** Numbers each repeated slug as GitHub does (checks, checks-1, checks-2). */
export function uniqueSlugs(): (text: string) => string {
  const seen = new Map<string, number>();
  return (text) => {
    const base = headingSlug(text);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}-${n}`;
  };
}

const linesIn = (s: string) => s.split("\n").length - 1;

export function outlineOf(markdown: string): RunbookOutline {
  const source = markdown.replace(/\r\n?/g, "\n");
  const slugOf = uniqueSlugs();
  const headings: RunbookHeading[] = [];
  const links: RunbookLink[] = [];
  let section = "";
  let offset = 0;
  for (const token of Lexer.lex(source)) {
    const at = source.indexOf(token.raw, offset);
    const start = at < 0 ? offset : at;
    const line = linesIn(source.slice(0, start)) + 1;
    if (token.type === "heading") {
      const slug = slugOf(token.text);
      headings.push({ depth: token.depth, text: token.text, slug, line });
      if (token.depth === 2) section = slug;
    } else {
      let cursor = 0;
      for (const link of linksWithin(token)) {
        const found = token.raw.indexOf(link.raw, cursor);
        if (found >= 0) cursor = found + link.raw.length;
        links.push({ href: link.href, line: line + linesIn(token.raw.slice(0, Math.max(found, 0))), section });
      }
    }
    offset = start + token.raw.length;
  }
  return { headings, links };
}

function* linksWithin(token: Token): Generator<{ href: string; raw: string }> {
  if (token.type === "link") yield { href: token.href, raw: token.raw };
  const nested: Token[] = [];
  if ("tokens" in token && Array.isArray(token.tokens)) nested.push(...(token.tokens as Token[]));
  if (token.type === "list") for (const item of token.items) nested.push(item);
  if (token.type === "table") for (const cell of [...token.header, ...token.rows.flat()]) nested.push(...cell.tokens);
  for (const t of nested) yield* linksWithin(t);
}
