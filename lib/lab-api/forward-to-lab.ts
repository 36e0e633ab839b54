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
  for (const name of ["content-type", "x-request-id"]) {
    const value = answer.headers.get(name);
    if (value !== null) out.set(name, value);
  }
  return new Response(await answer.arrayBuffer(), { status: answer.status, headers: out });
}
