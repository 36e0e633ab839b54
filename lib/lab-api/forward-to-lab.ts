// The portal's API in front of the lab's control processes (the simulator's traffic, the drill engine):
// the caller's request goes on with its credentials (its own bearer token, or one for the signed-in
// persona), request id and trace, and the process, which checks the caller's role itself, answers. A
// process that is down is a 503 problem naming it, never a hang.
const PASSED_ON = ["authorization", "content-type", "x-request-id", "traceparent", "idempotency-key"];

export async function forwardToLab(request: Request, target: string, processName: string, authorization: string | null, timeoutMs = 10_000): Promise<Response> {
  const headers = new Headers();
  for (const name of PASSED_ON) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  if (authorization) headers.set("authorization", authorization);
  const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.text();
  let answer: Response;
  try {
    answer = await fetch(target, { method: request.method, headers, body: body === "" ? undefined : body, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const why = (err as Error).name === "TimeoutError" ? `did not answer within ${timeoutMs / 1000} s` : "is not running";
    const detail = `the lab's ${processName} ${why}; see npm run lab:status`;
    return Response.json({ type: "https://pim-sre.lab/problems/503", title: "Service Unavailable", status: 503, detail }, { status: 503, headers: { "content-type": "application/problem+json" } });
  }
  const out = new Headers();
  for (const name of ["content-type", "content-disposition", "x-request-id"]) {
    const value = answer.headers.get(name);
    if (value !== null) out.set(name, value);
  }
  return new Response(await answer.arrayBuffer(), { status: answer.status, headers: out });
}

export interface LabApiProxy {
  /** Allowed paths below the prefix, per method: anything else is a 404 here, never forwarded. */
  routes: Partial<Record<string, RegExp>>;
  /** The portal's prefix (/api/drills) and the process's (http://127.0.0.1:4105/_lab/drills). */
  portalPrefix: string;
  target: () => string;
  processName: string;
  authorization: (request: Request) => Promise<string | null>;
}

/** A catch-all route handler passing the allowed routes of a lab process's API on, query string and all. */
export function labApiProxy(proxy: LabApiProxy) {
  return async (request: Request, context: { params: Promise<{ path: string[] }> }): Promise<Response> => {
    const path = (await context.params).path.join("/");
    if (!proxy.routes[request.method]?.test(path)) {
      const detail = `no ${proxy.processName} API route ${request.method} ${proxy.portalPrefix}/${path}`;
      return Response.json({ type: "https://pim-sre.lab/problems/404", title: "Not Found", status: 404, detail, field: "path" }, { status: 404, headers: { "content-type": "application/problem+json" } });
    }
    return forwardToLab(request, `${proxy.target()}/${path}${new URL(request.url).search}`, proxy.processName, await proxy.authorization(request));
  };
}
