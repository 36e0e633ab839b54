// Reads a production build's first-load JS from the files Next writes under .next/: each page's chunks from
// its manifests, each chunk's size raw and gzipped (level 9), and Next's own per-route list beside them.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import {
  type AppPage,
  type BuildManifest,
  type ChunkSize,
  appPages,
  firstLoadChunks,
  firstLoadReport,
  parseClientReferenceManifest,
} from "../lib/portal/first-load-js.ts";

const readJson = <T>(path: string) => JSON.parse(readFileSync(path, "utf8")) as T;

export function readFirstLoad(nextDir: string) {
  const buildId = readFileSync(join(nextDir, "BUILD_ID"), "utf8").trim();
  const globalBuild = readJson<BuildManifest>(join(nextDir, "build-manifest.json"));
  const pages: (AppPage & { chunks: string[] })[] = appPages(readJson<Record<string, string>>(join(nextDir, "app-path-routes-manifest.json"))).map((p) => {
    // Each page has its own build manifest beside its server bundle; the global one serves when it has not.
    const ownBuild = join(nextDir, "server", "app", p.page, "build-manifest.json");
    const build = existsSync(ownBuild) ? readJson<BuildManifest>(ownBuild) : globalBuild;
    const { manifest } = parseClientReferenceManifest(readFileSync(join(nextDir, "server", "app", `${p.page}_client-reference-manifest.js`), "utf8"));
    return { ...p, chunks: firstLoadChunks(build, manifest) };
  });
  const sizes = new Map<string, ChunkSize>();
  for (const chunk of new Set(pages.flatMap((p) => p.chunks))) {
    const bytes = readFileSync(join(nextDir, chunk));
    sizes.set(chunk, { bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length });
  }
  // Next writes its own per-route chunk list too (diagnostics/route-bundle-stats.json): a second opinion.
  const nextStatsPath = join(nextDir, "diagnostics", "route-bundle-stats.json");
  const nextStats = existsSync(nextStatsPath) ? readJson<{ route: string; firstLoadChunkPaths: string[] }[]>(nextStatsPath) : [];
  const nextOpinion = new Map(nextStats.map((s) => [s.route, s.firstLoadChunkPaths.map((c) => c.replace(/^\.next\//, ""))]));
  return { buildId, pages, sizes, report: firstLoadReport(pages, sizes), nextOpinion };
}
