// A runbook as the portal shows it: HTML from our own Markdown, headings with the anchors the check and the
// alerts' runbook_url use, links to other runbooks turned into the portal's runbook pages, and links to
// other repository files shown as their path (the portal does not serve the repository). Raw HTML in a
// runbook is shown as text, never passed through.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Marked, type Tokens } from "marked";
import { uniqueSlugs } from "./runbook-outline.ts";
import { RUNBOOKS_DIR, runbookPath } from "./runbook-paths.ts";

const RUNBOOK_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,80}$/;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface RenderedRunbook {
  name: string;
  title: string;
  html: string;
}

/** Where a link in a runbook goes in the portal, or null when the portal has no page for it. */
export function portalHref(href: string): string | null {
  if (href.startsWith("#") || (href.startsWith("/") && !href.startsWith("//"))) return href;
  const m = /^(?:\.\/)?([A-Za-z0-9-]+)\.md(#[^\s]*)?$/.exec(href);
  return m ? runbookPath(m[1]!) + (m[2] ?? "") : null;
}

export function renderRunbook(name: string, markdown: string): RenderedRunbook {
  const slugOf = uniqueSlugs();
  let title = name;
  const marked = new Marked({
    gfm: true,
    renderer: {
      heading(this: { parser: { parseInline(t: Tokens.Generic[]): string } }, { tokens, depth, text }: Tokens.Heading) {
        if (depth === 1 && title === name) title = text;
        return `<h${depth} id="${slugOf(text)}">${this.parser.parseInline(tokens)}</h${depth}>\n`;
      },
      link(this: { parser: { parseInline(t: Tokens.Generic[]): string } }, { href, tokens }: Tokens.Link) {
        const inner = this.parser.parseInline(tokens);
        const to = portalHref(href);
        return to === null ? `${inner} (<code>${escapeHtml(href)}</code>)` : `<a href="${escapeHtml(to)}">${inner}</a>`;
      },
      html({ text }: Tokens.HTML | Tokens.Tag) {
        return escapeHtml(text);
      },
      // A command wider than the page scrolls: focusable, so a keyboard can scroll it too.
      code({ text, lang }: Tokens.Code) {
        return `<pre tabindex="0"><code${lang ? ` class="language-${escapeHtml(lang)}"` : ""}>${escapeHtml(text)}</code></pre>\n`;
      },
    },
  });
  const html = marked.parse(markdown, { async: false });
  return { name, title, html };
}

/** The named runbook from docs/runbooks, rendered, or null when there is none by that name. */
export function readRunbook(root: string, name: string): RenderedRunbook | null {
  if (!RUNBOOK_NAME.test(name)) return null;
  const file = join(root, RUNBOOKS_DIR, `${name}.md`);
  return existsSync(file) ? renderRunbook(name, readFileSync(file, "utf8")) : null;
}
