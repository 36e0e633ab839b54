// Builds the portal when its sources are newer than the last build, so `npm run lab` and the browser tests
// start quickly on an unchanged tree and never serve a stale build.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const SOURCES = ["app", "components", "lib", "next.config.js", "package-lock.json", "tsconfig.json"];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce(
    (max, name) => (name === "generated" || name.endsWith(".test.ts") ? max : Math.max(max, newestMtime(join(path, name)))),
    stat.mtimeMs,
  );
}

export function portalBuildIsCurrent(root: string): boolean {
  const buildId = join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return false;
  const built = statSync(buildId).mtimeMs;
  return SOURCES.every((s) => newestMtime(join(root, s)) <= built);
}

export function buildPortalIfStale(root: string, log: (line: string) => void): void {
  if (portalBuildIsCurrent(root)) return;
  log("lab: building the portal (next build); later starts reuse the build until a source changes");
  execFileSync(join(root, "node_modules", ".bin", "next"), ["build"], { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
}

// Run directly (npm test does), it builds when stale and says so.
if (import.meta.url === `file://${process.argv[1]}`) {
  const root = join(import.meta.dirname, "..");
  if (portalBuildIsCurrent(root)) console.log("portal build is current");
  buildPortalIfStale(root, console.log);
}
