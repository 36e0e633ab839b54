import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  appPages,
  chunkPath,
  compareChunkSets,
  firstLoadChunks,
  firstLoadReport,
  parseClientReferenceManifest,
  samplePathFor,
  staticAncestor,
} from "./first-load-js.ts";

// Shapes as Next 16.4 (Turbopack) writes them under .next/.
const build = {
  polyfillFiles: ["static/chunks/polyfill.js"],
  rootMainFiles: ["static/chunks/runtime-a.js", "static/chunks/react.js", "static/chunks/turbopack-x.js"],
};
const signInManifestSource = `globalThis.__RSC_MANIFEST = globalThis.__RSC_MANIFEST || {};
globalThis.__RSC_MANIFEST["/sign-in/page"] = {"moduleLoading":{"prefix":""},"clientModules":{"[project]/components/persona-sign-in.tsx":{"id":1,"name":"*","chunks":["/_next/static/chunks/layout.js","/_next/static/chunks/sign-in.js"],"async":false}},"entryCSSFiles":{"[project]/app/layout":[{"path":"static/chunks/app.css","inlined":false}]},"entryJSFiles":{"[project]/app/layout":["static/chunks/layout.js"],"[project]/node_modules/next/dist/client/components/builtin/global-error":["static/chunks/layout.js"],"[project]/app/sign-in/page":["static/chunks/layout.js","static/chunks/sign-in.js"]}};
`;

describe("first-load JS from the build's manifests", () => {
  it("reads a client reference manifest script without running it", () => {
    const { page, manifest } = parseClientReferenceManifest(signInManifestSource);
    expect(page).toBe("/sign-in/page");
    expect(manifest.entryJSFiles?.["[project]/app/sign-in/page"]).toEqual(["static/chunks/layout.js", "static/chunks/sign-in.js"]);
    expect(() => parseClientReferenceManifest("module.exports = {}")).toThrow(/not a client reference manifest/);
  });

  it("lists the app's pages by URL, leaving out route handlers and Next's built-in pages", () => {
    const routes = {
      "/_global-error/page": "/_global-error",
      "/_not-found/page": "/_not-found",
      "/api/health/route": "/api/health",
      "/page": "/",
      "/(ops)/slos/page": "/slos",
      "/sign-in/page": "/sign-in",
    };
    expect(appPages(routes)).toEqual([
      { page: "/page", route: "/" },
      { page: "/sign-in/page", route: "/sign-in" },
      { page: "/(ops)/slos/page", route: "/slos" },
    ]);
  });

  it("takes the root main files then every entry's chunks once each, without the nomodule polyfills", () => {
    const { manifest } = parseClientReferenceManifest(signInManifestSource);
    expect(firstLoadChunks({ ...build, rootMainFiles: [...build.rootMainFiles, "static/chunks/polyfill.js"] }, manifest)).toEqual([
      "static/chunks/runtime-a.js",
      "static/chunks/react.js",
      "static/chunks/turbopack-x.js",
      "static/chunks/layout.js",
      "static/chunks/sign-in.js",
    ]);
  });

  it("names a downloaded script by its path in the build, whatever its URL's prefix and query", () => {
    expect(chunkPath("http://127.0.0.1:3100/_next/static/chunks/a.js?dpl=1")).toBe("static/chunks/a.js");
    expect(chunkPath("/lab/_next/static/chunks/a.js")).toBe("static/chunks/a.js");
    expect(chunkPath("static/chunks/a.js")).toBe("static/chunks/a.js");
    expect(chunkPath("https://cdn.example.org/faro.js")).toBeNull();
  });

  it("splits each page's total into the part every page shares and its own", () => {
    const sizes = new Map([
      ["static/chunks/react.js", { bytes: 180_000, gzipBytes: 57_000 }],
      ["static/chunks/layout.js", { bytes: 14_000, gzipBytes: 4_000 }],
      ["static/chunks/sign-in.js", { bytes: 33_000, gzipBytes: 9_000 }],
    ]);
    const report = firstLoadReport(
      [
        { page: "/page", route: "/", chunks: ["static/chunks/react.js", "static/chunks/layout.js"] },
        { page: "/sign-in/page", route: "/sign-in", chunks: ["static/chunks/react.js", "static/chunks/layout.js", "static/chunks/sign-in.js"] },
      ],
      sizes,
    );
    expect(report.shared).toEqual({ chunks: ["static/chunks/react.js", "static/chunks/layout.js"], bytes: 194_000, gzipBytes: 61_000 });
    expect(report.routes[1]).toMatchObject({ route: "/sign-in", gzipBytes: 70_000, own: { chunks: ["static/chunks/sign-in.js"], gzipBytes: 9_000 } });
    expect(() => firstLoadReport([{ page: "/page", route: "/", chunks: ["static/chunks/unknown.js"] }], sizes)).toThrow(
      /no size for static\/chunks\/unknown.js/,
    );
  });

  it("keeps every page's total equal to the shared part plus its own, whatever the chunk sets", () => {
    const names = fc.constantFrom("a.js", "b.js", "c.js", "d.js", "e.js").map((n) => `static/chunks/${n}`);
    fc.assert(
      fc.property(
        fc.array(fc.uniqueArray(names, { minLength: 1 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(100_000), { minLength: 5, maxLength: 5 }),
        (sets, gz) => {
          const sizes = new Map(["a", "b", "c", "d", "e"].map((n, i) => [`static/chunks/${n}.js`, { bytes: gz[i]! * 3, gzipBytes: gz[i]! }]));
          const report = firstLoadReport(
            sets.map((chunks, i) => ({ page: `/p${i}/page`, route: `/p${i}`, chunks })),
            sizes,
          );
          for (const route of report.routes) {
            expect(report.shared.chunks.every((c) => route.chunks.includes(c))).toBe(true);
            expect(route.gzipBytes).toBe(report.shared.gzipBytes + route.own.gzipBytes);
          }
        },
      ),
    );
  });

  it("reports the chunks the browser skipped and the ones it fetched beyond the manifests", () => {
    expect(compareChunkSets(["a.js", "b.js"], ["b.js", "c.js", "c.js"])).toEqual({ missing: ["a.js"], extra: ["c.js"], same: false });
    expect(compareChunkSets(["a.js"], ["a.js"]).same).toBe(true);
  });

  it("finds an instance of a dynamic route among the links of the page above it", () => {
    expect(staticAncestor("/slos/[name]")).toBe("/slos");
    expect(staticAncestor("/[tenant]/audit")).toBe("/");
    const links = ["/", "/slos", "http://127.0.0.1:3100/slos/clinician-record-diagnosis-availability?window=1h", "/slos/other"];
    expect(samplePathFor("/slos/[name]", links)).toBe("/slos/clinician-record-diagnosis-availability");
    expect(samplePathFor("/scenarios/[runId]", links)).toBeNull();
    expect(samplePathFor("/docs/[...path]", ["/docs", "/docs/a/b"])).toBe("/docs/a/b");
    expect(samplePathFor("/slos/[name]", ["/slos/a/b"])).toBeNull();
  });
});
