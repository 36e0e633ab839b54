import { describe, expect, it } from "vitest";
import { portalHref, renderRunbook } from "./runbook-html.ts";

describe("a runbook in the portal", () => {
  it("gives each heading the anchor alerts link to, and takes its title from the first heading", () => {
    const r = renderRunbook("find", "# Finding a patient\n\n## Alert tiers\n\n### page-fast\n\n## Checks\n\n## Checks\n");
    expect(r.title).toBe("Finding a patient");
    expect(r.html).toContain('<h3 id="page-fast">page-fast</h3>');
    expect(r.html).toContain('<h2 id="checks-1">Checks</h2>');
  });

  it("opens other runbooks as portal pages, keeps portal paths, and shows repository files as their path", () => {
    const r = renderRunbook("x", "[c](clinical.md#checks) [s](/slos/a?b=1) [adr](../adr/0019-x.md) [here](#checks)");
    expect(r.html).toContain('<a href="/runbooks/clinical#checks">c</a>');
    expect(r.html).toContain('<a href="/slos/a?b=1">s</a>');
    expect(r.html).toContain("adr (<code>../adr/0019-x.md</code>)");
    expect(r.html).toContain('<a href="#checks">here</a>');
    expect(portalHref("https://example.org")).toBeNull();
  });

  it("makes a command block focusable, so a keyboard can scroll a wide one", () => {
    expect(renderRunbook("x", "```sh\ncurl -X DELETE <url>\n```").html).toBe(
      '<pre tabindex="0"><code class="language-sh">curl -X DELETE &#60;url&#62;</code></pre>\n',
    );
  });

  it("shows raw HTML in a runbook as text", () => {
    const r = renderRunbook("x", "<script>alert(1)</script>\n\nand <b>bold</b>");
    expect(r.html).not.toContain("<script>");
    expect(r.html).not.toContain("<b>");
    expect(r.html).toContain("&#60;script&#62;");
  });
});
