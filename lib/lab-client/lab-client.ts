// One typed way to the lab's processes: a function per endpoint (lab-endpoints.ts), its input typed by the
// schemas the serving process parses with and its answer by the type that process declares. Hosts come from
// the one config; every failure is a LabError, rebuilt from the problem body (a 404 is `not_found`, not a
// string to match), or `unavailable`/`timeout` naming the process that did not answer.
import type { LabConfig } from "../config/index.ts";
import { type AnswerOf, type InputOf, type Jsonified, type LabProcess, type LabRoute, PROCESS_NAMES, pathOf } from "../contracts/lab-route.ts";
import { LabError } from "../errors/index.ts";
import { labErrorFromProblem } from "../errors/problem.ts";
import { LAB_ENDPOINTS, type LabEndpoints } from "./lab-endpoints.ts";

export type LabOrigins = Record<LabProcess, string>;

/** Where each process of a lab on this machine listens. */
export function labOrigins(config: LabConfig): LabOrigins {
  const at = (port: number) => `http://127.0.0.1:${port}`;
  return {
    gateway: at(config.gateway.port),
    clinical: at(config.clinicalPort),
    billing: at(config.billingPort),
    projector: at(config.projectorPort),
    simulator: at(config.simulator.port),
    "drill-engine": at(config.drills.port),
    supervisor: at(config.supervisorPort),
  };
}

export interface LabClientOptions {
  origins: LabOrigins;
  /** The Authorization header for each call (a bearer token of the caller). */
  authorization: () => Promise<string>;
  /** Reads time out sooner than writes, which may wait on a drill or a job starting. */
  timeoutMs?: { read: number; write: number };
  fetch?: typeof fetch;
}

/** Headers a caller may add to one call: its request id and trace, an Idempotency-Key, If-Match. */
export type CallHeaders = Partial<Record<"x-request-id" | "traceparent" | "idempotency-key" | "if-match", string>>;

/** The process that serves a route when a client calls it: the clinical and billing API is called through the gateway. */
const answeringProcess = (route: LabRoute): LabProcess => (route.process === "clinical" || route.process === "billing" ? "gateway" : route.process);

function queryString(query: Record<string, unknown> | undefined): string {
  const entries = Object.entries(query ?? {}).filter(([, v]) => v !== undefined && v !== null);
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}` : "";
}

type Answer<T> = Promise<Jsonified<AnswerOf<T>>>;
// An endpoint whose input has no required part (no path values, no body) may be called without one.
type Endpoint<T> =
  Record<never, never> extends InputOf<T> ? (input?: InputOf<T>, headers?: CallHeaders) => Answer<T> : (input: InputOf<T>, headers?: CallHeaders) => Answer<T>;
export type LabClient = { [K in keyof LabEndpoints]: Endpoint<LabEndpoints[K]> } & {
  /** The URL a route is served at (for a link or a download), the path's values put in. */
  urlOf<T extends LabRoute>(route: T, input?: InputOf<T>): string;
};

export function createLabClient(o: LabClientOptions): LabClient {
  const timeouts = o.timeoutMs ?? { read: 5000, write: 10_000 };
  const doFetch = o.fetch ?? fetch;
  const urlOf = (route: LabRoute, input: { params?: Record<string, unknown>; query?: Record<string, unknown> } = {}) =>
    `${o.origins[answeringProcess(route)]}${pathOf(route, input.params)}${queryString(input.query)}`;

  async function call(
    route: LabRoute,
    input: { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown } = {},
    extra: CallHeaders = {},
  ): Promise<unknown> {
    const name = PROCESS_NAMES[answeringProcess(route)];
    const timeoutMs = route.method === "GET" ? timeouts.read : timeouts.write;
    const url = urlOf(route, input); // a missing path value is the caller's mistake, not an outage
    const headers: Record<string, string> = { ...extra, authorization: await o.authorization() };
    if (input.body !== undefined) headers["content-type"] = "application/json";
    let res: Response;
    try {
      res = await doFetch(url, {
        method: route.method,
        headers,
        body: input.body === undefined ? undefined : JSON.stringify(input.body),
        cache: "no-store",
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      if ((err as Error).name === "TimeoutError") throw new LabError("timeout", `the ${name} did not answer within ${timeoutMs / 1000} s`, { cause: err });
      throw new LabError("unavailable", `the ${name} is not running`, { cause: err });
    }
    const json = (res.headers.get("content-type") ?? "").includes("json");
    const answer: unknown = json ? await res.json().catch(() => null) : await res.text();
    if (!res.ok) throw labErrorFromProblem(res.status, answer, name);
    return answer;
  }

  const client = Object.fromEntries(
    Object.entries(LAB_ENDPOINTS).map(([key, route]) => [key, (input?: object, headers?: CallHeaders) => call(route, input, headers)]),
  );
  return Object.assign(client, { urlOf }) as unknown as LabClient;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: LabError };

/** A call's answer or its refusal, for a form that shows the refusal's detail at its field; other failures are thrown. */
export function outcomeOf<T>(call: Promise<T>): Promise<Outcome<T>> {
  return call.then(
    (value) => ({ ok: true as const, value }),
    (err: unknown) => {
      if (err instanceof LabError) return { ok: false as const, error: err };
      throw err;
    },
  );
}
