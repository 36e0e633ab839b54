// Forwarding one request to its upstream with undici: the caller's headers that matter, the gateway's own
// request id and traceparent, a deadline; and a JSON problem (502/503/504) instead of a hang when the
// upstream is down, broken or slow.
import { Pool, errors } from "undici";
import { type Problem, problemBody } from "../../lib/errors/problem.ts";

const PASS_THROUGH = ["authorization", "content-type", "idempotency-key", "if-match", "accept"];
const RETURN_HEADERS = ["content-type", "idempotency-replayed", "retry-after"];

export interface UpstreamPools {
  pool(name: string): Pool;
  close(): Promise<void>;
}

export function createUpstreamPools(origins: Record<string, string>, timeoutMs: number): UpstreamPools {
  // undici's own timeouts tick coarsely (about a second); they are the backstop, and each request carries an
  // exact deadline of its own (see forward).
  const pools = new Map(
    Object.entries(origins).map(([name, origin]) => [
      name,
      new Pool(origin, { connections: 64, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connectTimeout: 2_000 }),
    ]),
  );
  return {
    pool(name) {
      const pool = pools.get(name);
      if (!pool) throw new Error(`no upstream ${name}`);
      return pool;
    },
    async close() {
      await Promise.all([...pools.values()].map((p) => p.close()));
    },
  };
}

export interface ForwardedResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | Problem;
}

export async function forward(
  pool: Pool,
  upstreamName: string,
  request: { method: string; url: string; headers: Record<string, string | string[] | undefined>; body: Buffer | undefined },
  hop: { requestId: string; traceparent: string; shard: number | null; deadlineMs: number },
): Promise<ForwardedResponse> {
  const headers: Record<string, string> = { "x-request-id": hop.requestId, traceparent: hop.traceparent };
  for (const name of PASS_THROUGH) {
    const value = request.headers[name];
    if (typeof value === "string") headers[name] = value;
  }
  if (hop.shard !== null) headers["x-lab-shard"] = String(hop.shard);
  // The deadline is a timer raced against the request rather than an AbortSignal: undici with a signal per
  // request forwarded half as many requests per second (bench:api). A request that loses the race is left
  // to undici's own timeouts (the pool's, set to the same deadline), which close its connection.
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error("deadline"), { name: "TimeoutError" })), hop.deadlineMs);
  });
  try {
    const res = await Promise.race([pool.request({ method: request.method as "GET", path: request.url, headers, body: request.body }), deadline]);
    const body = Buffer.from(await Promise.race([res.body.arrayBuffer(), deadline]));
    const out: Record<string, string> = {};
    for (const name of RETURN_HEADERS) {
      const v = res.headers[name];
      if (typeof v === "string") out[name] = v;
    }
    return { status: res.statusCode, headers: out, body };
  } catch (err) {
    return { status: 0, headers: {}, body: upstreamProblem(upstreamName, err) };
  } finally {
    clearTimeout(timer);
  }
}

function upstreamProblem(name: string, err: unknown): Problem {
  const code = (err as { code?: string }).code;
  const timedOut = err instanceof errors.HeadersTimeoutError || err instanceof errors.BodyTimeoutError || (err as Error)?.name === "TimeoutError";
  if (timedOut) return problemBody(504, `the ${name} service did not answer in time`);
  if (err instanceof errors.ConnectTimeoutError || code === "ECONNREFUSED" || code === "ENOTFOUND")
    return problemBody(503, `the ${name} service is not reachable`);
  return problemBody(502, `the ${name} service answered badly (${code ?? "broken response"})`);
}
