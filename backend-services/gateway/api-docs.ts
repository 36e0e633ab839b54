// /openapi.json and a readable /docs page, both from the generated OpenAPI document (no CDN assets: the
// page is plain server-rendered HTML).
import { GATEWAY_ROUTES } from "../../lib/contracts/routes/gateway-routes.ts";
import type { DeclaredRoutes } from "../common/declared-routes.ts";
import { buildOpenApi } from "../../lib/contracts/openapi.ts";

interface Operation {
  operationId: string;
  summary: string;
  description: string;
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
}

interface Spec {
  openapi: string;
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, Operation>>;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function docsPage(spec: Spec): string {
  const operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const params = (op.parameters ?? []).map((p) => `<li><code>${escape(p.name)}</code> (${p.in}${p.required ? ", required" : ""})</li>`).join("");
      const body = op.requestBody
        ? `<details><summary>Request body</summary><pre>${escape(JSON.stringify(op.requestBody.content["application/json"]?.schema, null, 2))}</pre></details>`
        : "";
      return `<section id="${escape(op.operationId)}"><h2><span class="m">${method.toUpperCase()}</span> <code>${escape(path)}</code></h2><p>${escape(op.summary)}. ${escape(op.description)}</p>${params ? `<ul>${params}</ul>` : ""}${body}</section>`;
    }),
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(spec.info.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem}section{border-top:1px solid #ccc;padding:.5rem 0}.m{font-family:monospace;background:#eef;padding:0 .3rem}pre{overflow:auto;background:#f6f8fa;padding:.5rem}</style>
</head><body><h1>${escape(spec.info.title)} ${escape(spec.info.version)}</h1><p>${escape(spec.info.description)} Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${escape(spec.openapi)}). Every route needs <code>Authorization: Bearer &lt;token&gt;</code>; errors are RFC 9457 problem bodies.</p>${operations.join("")}</body></html>`;
}

export function apiDocsRoutes(routes: DeclaredRoutes, serverUrl: string): void {
  const spec = buildOpenApi(serverUrl);
  const html = docsPage(spec as unknown as Spec);
  routes.servePublic(GATEWAY_ROUTES.openApi, () => spec);
  // The docs page inlines its style; the gateway's API-wide CSP (default-src 'none') is relaxed for it alone.
  routes.servePublic(GATEWAY_ROUTES.apiDocs, ({ reply }) =>
    reply.type("text/html; charset=utf-8").header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'").send(html),
  );
}
