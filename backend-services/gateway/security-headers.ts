// The gateway's security headers, worked out once with helmet and then set on every answer. helmet's
// middleware recomputes the same headers per request; through @fastify/helmet that was a quarter of the
// gateway's forwarding throughput (bench:api).
import type { IncomingMessage, ServerResponse } from "node:http";
import helmet from "helmet";

export function securityHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown = null;
  // Our API answers JSON and problem bodies only: nothing may load or frame anything.
  helmet({ contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } } })(
    {} as IncomingMessage,
    recorder as unknown as ServerResponse,
    (err?: unknown) => (failure = err ?? null),
  );
  if (failure) throw failure;
  return headers;
}
