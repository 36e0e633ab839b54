// The portal's API in front of the lab's control processes: a request under a portal prefix
// (/api/drills/runs/drl-1/abort) is matched against the declared routes it may pass
// (POST /_lab/drills/runs/:runId/abort), and goes on with its credentials, request id and trace; the
// process checks the caller again and answers. Anything not declared is a 404 here, never forwarded; a
// process that is down is a 503 naming it, never a hang.
import { type LabProcess, type LabRoute, PROCESS_NAMES } from "../contracts/lab-route.ts";
import { refusal } from "../errors/problem-response.ts";

const PASSED_ON = ["authorization", "content-type", "x-request-id", "traceparent", "idempotency-key", "if-match"];
const ANSWERED = ["content-type", "content-disposition", "x-request-id", "idempotency-replayed", "etag"];

export interface PassThrough {
  /** Where the portal serves it (/api/drills) and where the process does (/_lab/drills). */
  portalPrefix: string;
  labPrefix: string;
  process: LabProcess;
  /** The declared routes it passes; each keeps its own declared action. */
  passes: readonly LabRoute[];
}

/** The lab path's values for a route's template, or null when the path is not that route's. */
export function matchPath(template: string, path: string): Record<string, string> | null {
  const want = template.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(":")) {
      if (g === "") return null;
      params[w.slice(1)] = g;
    } else if (w !== g) return null;
  }
  return params;
}

/** The declared route a portal request stands for, and the process's path for it. */
export function passedRoute(p: PassThrough, method: string, segments: readonly string[]): { route: LabRoute; labPath: string } | null {
  const labPath = [p.labPrefix, ...segments.map(encodeURIComponent)].join("/").replace(/\/+$/, "");
  const decodedPath = [p.labPrefix, ...segments].join("/").replace(/\/+$/, "");
  const route = p.passes.find((r) => r.method === method && matchPath(r.path, decodedPath) !== null);
  return route ? { route, labPath } : null;
}

export function noSuchRoute(p: PassThrough, method: string, segments: readonly string[]): Response {
  return refusal("not_found", `no ${PROCESS_NAMES[p.process]} API route ${method} ${[p.portalPrefix, ...segments].join("/")}`, "path");
}

/** Sends the request on to `target` with the caller's `authorization`; the answer comes back as the process gave it. */
export async function forwardToLab(request: Request, target: string, processName: string, authorization: string, timeoutMs = 10_000): Promise<Response> {
  const headers = new Headers();
  for (const name of PASSED_ON) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  headers.set("authorization", authorization);
  const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.text();
  let answer: Response;
  try {
    answer = await fetch(target, { method: request.method, headers, body: body === "" ? undefined : body, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const timedOut = (err as Error).name === "TimeoutError";
    return refusal(
      "unavailable",
      `the lab's ${processName} ${timedOut ? `did not answer within ${timeoutMs / 1000} s` : "is not running"}; see npm run lab:status`,
    );
  }
  const out = new Headers();
  for (const name of ANSWERED) {
    const value = answer.headers.get(name);
    if (value !== null) out.set(name, value);
  }
  return new Response(await answer.arrayBuffer(), { status: answer.status, headers: out });
}
