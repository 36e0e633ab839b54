// A route of a lab process, declared once: which process serves it, who may call it (the policy action the
// server checks before its handler runs), the zod schemas of its path, query and body (the ones the
// server parses with), and the type of its answer. Servers register their handlers from these
// declarations, the gateway and the portal derive their route tables from them, and lib/lab-client
// calls them; a test derives the persona x route matrix from them and checks it against the policy.
import type { z } from "zod";
import type { Action } from "../auth/policy.ts";
import { LabError } from "../errors/index.ts";

export type LabProcess = "gateway" | "clinical" | "billing" | "projector" | "simulator" | "drill-engine" | "supervisor";

/** Each process as a message names it ("the drill engine is not running"). */
export const PROCESS_NAMES: Record<LabProcess, string> = {
  gateway: "gateway",
  clinical: "clinical service",
  billing: "billing service",
  projector: "projector",
  simulator: "simulator",
  "drill-engine": "drill engine",
  supervisor: "supervisor",
};

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * Who may call a route: a policy action (the caller's role must hold a grant for it; the scope of that grant,
 * a facility or a patient's own record, is checked by the domain where the data is), or "public" for the
 * probes and documents that answer without a token.
 */
export type RouteAction = Action | "public";

type Schema = z.ZodType | undefined;

/** What a route is besides where it is: who may call it, its schemas and its answer. */
export interface RouteSpec<P extends Schema = Schema, Q extends Schema = Schema, B extends Schema = Schema, R = unknown, D extends Schema = Schema> {
  action: RouteAction;
  summary: string;
  params?: P;
  query?: Q;
  /** The body, parsed with this schema before the handler runs. */
  body?: B;
  /** Or the body the domain validates itself (for messages of its own): the handler gets it raw; clients send this shape. */
  domainBody?: D;
  /** The answer's status when it is not 200. */
  status?: 201 | 202;
  /** The type of the answer; never set at run time. */
  readonly answer?: R;
}

/** Where a route is: the process that serves it, its method and its Fastify-style path (/_lab/drills/runs/:runId). */
export interface RoutePlace {
  process: LabProcess;
  method: HttpMethod;
  path: string;
}

export interface LabRoute<P extends Schema = Schema, Q extends Schema = Schema, B extends Schema = Schema, R = unknown, D extends Schema = Schema>
  extends RouteSpec<P, Q, B, R, D>, RoutePlace {}

/** Where a route is, as a request line says it: "GET /_lab/drills/runs/:runId". */
export type RouteLine<M extends HttpMethod = HttpMethod> = `${M} /${string}`;

/** The method and path of a request line. */
export function lineParts<M extends HttpMethod>(at: RouteLine<M>): { method: M; path: string } {
  const space = at.indexOf(" ");
  return { method: at.slice(0, space) as M, path: at.slice(space + 1) };
}

/** A route in its process's table, which says the process once for all its routes. */
export interface TableRoute<
  P extends Schema = Schema,
  Q extends Schema = Schema,
  B extends Schema = Schema,
  R = unknown,
  D extends Schema = Schema,
> extends RouteSpec<P, Q, B, R, D> {
  method: HttpMethod;
  path: string;
}

/** A route answering R: `route<R>()({ at: "GET /path", ... })` keeps both the schemas' and the answer's types. */
export const route =
  <R>() =>
  <
    P extends z.ZodType | undefined = undefined,
    Q extends z.ZodType | undefined = undefined,
    B extends z.ZodType | undefined = undefined,
    D extends z.ZodType | undefined = undefined,
  >({
    at,
    ...spec
  }: RouteSpec<P, Q, B, R, D> & { at: RouteLine }): TableRoute<P, Q, B, R, D> => ({ ...spec, ...lineParts(at) });

/** A table's route with its process put in. */
type ServedBy<T, L extends LabProcess> = T extends TableRoute<infer P, infer Q, infer B, infer R, infer D> ? LabRoute<P, Q, B, R, D> & { process: L } : never;

/** The routes one process serves, its name said once for all of them. */
export function servedBy<const L extends LabProcess, T extends Record<string, Pick<TableRoute, "method" | "path">>>(
  process: L,
  routes: T,
): { [K in keyof T]: ServedBy<T[K], L> } {
  return Object.fromEntries(Object.entries(routes).map(([key, r]) => [key, { ...r, process }])) as { [K in keyof T]: ServedBy<T[K], L> };
}

export type AnswerOf<T> = T extends LabRoute<infer _P, infer _Q, infer _B, infer R, infer _D> ? R : never;

/** A value as it arrives over JSON: dates as ISO strings. */
export type Jsonified<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Jsonified<U>[]
    : T extends object
      ? { [K in keyof T]: Jsonified<T[K]> }
      : T;

type Part<S, K extends string, Required extends boolean> = S extends z.ZodType
  ? Required extends true
    ? { [k in K]: z.input<S> }
    : { [k in K]?: z.input<S> }
  : { [k in K]?: never };

/** What a client sends: the path's values, the query and the body, as their schemas take them. */
export type InputOf<T> =
  T extends LabRoute<infer P, infer Q, infer B, infer _R, infer D>
    ? Part<P, "params", true> & Part<Q, "query", false> & Part<B extends z.ZodType ? B : D, "body", true>
    : never;

/** The path with its values put in: /_lab/drills/runs/:runId -> /_lab/drills/runs/drl-1 (each value URL-encoded). */
export function pathOf(r: Pick<LabRoute, "path">, params: Record<string, unknown> = {}): string {
  return r.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined || value === null || value === "") throw new LabError("invalid", `${r.path} needs a value for :${name}`, { field: name });
    return encodeURIComponent(String(value));
  });
}
