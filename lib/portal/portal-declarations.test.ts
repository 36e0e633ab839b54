// The portal's files against their declarations: every page opens through its declared access, every API
// route serves its declared methods through the declared-access wrappers, and nothing in the portal
// reaches the lab but the lab client (no lab URL built, no response parsed and cast by hand).
import { readFileSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { PAGES } from "./portal-pages.ts";
import { PORTAL_PASS_THROUGHS, PORTAL_ROUTES } from "./portal-routes.ts";

const root = join(import.meta.dirname, "..", "..");
const filesUnder = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
const source = (file: string) => readFileSync(join(root, file), "utf8");
/** app/drills/[key]/page.tsx -> /drills/[key] */
const routeOf = (file: string) => `/${relative("app", file).split(sep).slice(0, -1).join("/")}`.replace(/\/$/, "") || "/";

describe("the portal's declarations", () => {
  const appFiles = filesUnder("app");

  it("opens every page through its declared access", () => {
    const pages = appFiles.filter((f) => f.endsWith(`${sep}page.tsx`));
    const declared = Object.entries(PAGES);
    expect(pages.map(routeOf).sort()).toEqual(declared.map(([, p]) => p.route).sort());
    for (const file of pages) {
      const [key, page] = declared.find(([, p]) => p.route === routeOf(file))!;
      const text = source(file);
      const opener = page.access === "public" ? new RegExp(`viewerOf\\(PAGES\\.${key}\\)|PAGES\\.${key}\\b`) : new RegExp(`openPage\\(PAGES\\.${key},`);
      expect(text, `${file} opens through PAGES.${key}`).toMatch(opener);
      // No page decides on its own who may open it.
      expect(text, file).not.toMatch(/currentActor\(\)|redirect\(["`]\/sign-in/);
    }
  });

  it("serves every API route's declared methods through the declared-access wrappers", () => {
    const routes = appFiles.filter((f) => f.endsWith(`${sep}route.ts`));
    const own = Object.entries(PORTAL_ROUTES).map(([key, r]) => ({
      key,
      route: r.route,
      methods: [...r.methods],
      wrapper: new RegExp(`(portalRoute|publicRoute)\\(PORTAL_ROUTES\\.${key}\\b`),
    }));
    const passing = Object.entries(PORTAL_PASS_THROUGHS).map(([key, p]) => ({
      key,
      route: p.route,
      methods: [...new Set(p.passes.map((r) => r.method))],
      wrapper: new RegExp(`passThrough\\(PORTAL_PASS_THROUGHS\\.${key}\\)`),
    }));
    const declared = [...own, ...passing];
    expect(routes.map(routeOf).sort()).toEqual(declared.map((d) => d.route).sort());
    for (const file of routes) {
      const d = declared.find((x) => x.route === routeOf(file))!;
      const text = source(file);
      expect(text, `${file} serves through ${d.key}'s declaration`).toMatch(d.wrapper);
      const exported = [...text.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b|handler as (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1] ?? m[2]);
      expect(exported.sort(), file).toEqual([...d.methods].sort());
      expect(text, file).not.toMatch(/export (async )?function (GET|POST|PUT|PATCH|DELETE)\b/);
    }
  });

  it("reaches the lab only through the lab client: no lab URL, no hand-parsed answer", () => {
    // The one exception, and why: signing out asks the identity provider (not the lab) for its end-session endpoint.
    const allowed = new Map([[join("app", "sign-out", "route.ts"), /fetch\(discoveryUrl\(issuer\)|await res\.json\(\)/g]]);
    const forbidden = [
      /127\.0\.0\.1|localhost|https?:\/\/(?!www\.w3\.org)/,
      /["'`]\/_lab\//,
      /\bfetch\(/,
      /\.json\(\)/,
      /\breadLab\b|\bwriteLab\b/,
      /labConfig\(\)\.(gateway|drills|simulator|supervisorPort|projectorPort|clinicalPort|billingPort)/,
    ];
    const offending: string[] = [];
    for (const file of [...appFiles, ...filesUnder("components")].filter((f) => /\.tsx?$/.test(f))) {
      const text = source(file).replace(allowed.get(file) ?? /$^/, "");
      text.split("\n").forEach((line, i) => {
        if (/^\s*(\/\/|\*)/.test(line)) return; // comments may name what they explain
        for (const pattern of forbidden) if (pattern.test(line)) offending.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offending).toEqual([]);
  });
});
