// What a first load of each portal page downloads as JavaScript, read from the production build's own
// manifests (Next 16, Turbopack): the root main files every page shares (build-manifest.json) plus the
// chunks of every entry in the page's tree (its client reference manifest's entryJSFiles: the layouts, the
// page, the error boundaries). Pure: the caller reads the files and measures the chunks.

/** The part of `.next/build-manifest.json` (or a page's own `server/app/<page>/build-manifest.json`) read here. */
export type BuildManifest = { rootMainFiles: string[]; polyfillFiles?: string[] };

/** The part of a page's client reference manifest read here: entry module -> the chunks it needs. */
export type ClientReferenceManifest = { entryJSFiles?: Record<string, string[]> };

export type AppPage = { page: string; route: string };
export type ChunkSize = { bytes: number; gzipBytes: number };
export type ChunkSet = { chunks: string[]; bytes: number; gzipBytes: number };
export type FirstLoadRoute = AppPage & ChunkSet & { own: ChunkSet };
export type FirstLoadReport = { shared: ChunkSet; routes: FirstLoadRoute[] };

const MANIFEST_ASSIGNMENT = /globalThis\.__RSC_MANIFEST\[("(?:[^"\\]|\\.)*")\]\s*=\s*(\{[\s\S]*\})\s*;?\s*$/;

/**
 * Reads a `page_client-reference-manifest.js`, which Next writes as a script assigning one JSON object
 * (`globalThis.__RSC_MANIFEST["/slos/page"] = {...}`), without running it.
 */
export function parseClientReferenceManifest(source: string): { page: string; manifest: ClientReferenceManifest } {
  const match = MANIFEST_ASSIGNMENT.exec(source);
  if (!match) throw new Error("not a client reference manifest: no globalThis.__RSC_MANIFEST[...] = {...} assignment");
  return { page: JSON.parse(match[1]!) as string, manifest: JSON.parse(match[2]!) as ClientReferenceManifest };
}

/**
 * The app's pages from `.next/app-path-routes-manifest.json` (page key -> URL path, route groups already
 * resolved), without Next's built-in /_not-found and /_global-error and without route handlers.
 */
export function appPages(appPathRoutes: Record<string, string>): AppPage[] {
  return Object.entries(appPathRoutes)
    .filter(([page]) => page.endsWith("/page") && !page.split("/").some((segment) => segment.startsWith("_")))
    .map(([page, route]) => ({ page, route }))
    .sort((a, b) => a.route.localeCompare(b.route));
}

/** `/_next/static/chunks/a.js?dpl=x`, `static/chunks/a.js` -> `static/chunks/a.js`; null for anything not from the build. */
export function chunkPath(urlOrPath: string): string | null {
  const path = urlOrPath.replace(/[?#].*$/, "");
  const at = path.indexOf("/_next/");
  if (at >= 0) return path.slice(at + "/_next/".length);
  const bare = path.replace(/^\/+/, "");
  return bare.startsWith("static/") ? bare : null;
}

/**
 * The JS a first load of one page downloads, in load order and without repeats: the root main files, then
 * each entry's chunks. Not the polyfills: they are `nomodule` scripts that module-capable browsers skip.
 */
export function firstLoadChunks(build: BuildManifest, clientReference: ClientReferenceManifest): string[] {
  const polyfills = new Set((build.polyfillFiles ?? []).map((f) => chunkPath(f)));
  const all = [...build.rootMainFiles, ...Object.values(clientReference.entryJSFiles ?? {}).flat()];
  const chunks: string[] = [];
  for (const file of all) {
    const path = chunkPath(file);
    if (path && path.endsWith(".js") && !polyfills.has(path) && !chunks.includes(path)) chunks.push(path);
  }
  return chunks;
}

function sumOf(chunks: string[], sizes: ReadonlyMap<string, ChunkSize>): ChunkSet {
  let bytes = 0;
  let gzipBytes = 0;
  for (const chunk of chunks) {
    const size = sizes.get(chunk);
    if (!size) throw new Error(`no size for ${chunk}: the build's manifests name a chunk that was not measured`);
    bytes += size.bytes;
    gzipBytes += size.gzipBytes;
  }
  return { chunks, bytes, gzipBytes };
}

/**
 * Each page's first-load JS and the part every page shares (the chunks common to all of them), with each
 * page's own part beside its total, as Next's build output splits them.
 */
export function firstLoadReport(pages: (AppPage & { chunks: string[] })[], sizes: ReadonlyMap<string, ChunkSize>): FirstLoadReport {
  const sharedChunks = pages.length === 0 ? [] : pages[0]!.chunks.filter((c) => pages.every((p) => p.chunks.includes(c)));
  const shared = sumOf(sharedChunks, sizes);
  const routes = pages.map(({ page, route, chunks }) => ({
    page,
    route,
    ...sumOf(chunks, sizes),
    own: sumOf(
      chunks.filter((c) => !sharedChunks.includes(c)),
      sizes,
    ),
  }));
  return { shared, routes };
}

/** Where the manifests and the browser disagree: chunks expected but not downloaded, and the other way. */
export function compareChunkSets(expected: readonly string[], downloaded: readonly string[]): { missing: string[]; extra: string[]; same: boolean } {
  const missing = expected.filter((c) => !downloaded.includes(c));
  const extra = [...new Set(downloaded)].filter((c) => !expected.includes(c));
  return { missing, extra, same: missing.length === 0 && extra.length === 0 };
}

/** The route's path up to its first dynamic segment: the page whose links lead to its instances. */
export function staticAncestor(route: string): string {
  const segments = route.split("/").filter(Boolean);
  const firstDynamic = segments.findIndex((s) => s.startsWith("["));
  return `/${(firstDynamic < 0 ? segments : segments.slice(0, firstDynamic)).join("/")}`;
}

/**
 * The first of `hrefs` (a page's links, absolute or root-relative) that is an instance of a route with
 * dynamic segments (`[name]` one segment, `[...path]` and `[[...path]]` one or more), as a path; or null.
 */
export function samplePathFor(route: string, hrefs: readonly string[]): string | null {
  const pattern = route
    .split("/")
    .map((s) => (/^\[\[?\.\.\./.test(s) ? "[^?#]+" : s.startsWith("[") ? "[^/?#]+" : s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  const matcher = new RegExp(`^${pattern}$`);
  for (const href of hrefs) {
    const path = new URL(href, "http://portal.invalid").pathname;
    if (matcher.test(path)) return path;
  }
  return null;
}
