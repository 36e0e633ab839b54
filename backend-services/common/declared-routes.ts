// Routes served from their declarations (lib/contracts): the one place a lab process registers a handler.
// Before the handler runs, the caller is authenticated and must hold a grant for the route's declared
// action (scope, a facility or one's own record, is the domain's check where the data is), and the path,
// query and body are parsed with the declared schemas; the handler gets an actor known to be allowed and
// typed values, and must answer the declared type. A route registered any other way stops the server at
// start (createLabServer checks each route it is given against the process's declarations).
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import { authorize } from "../../lib/auth/policy.ts";
import type { Actor } from "../../lib/auth/roles.ts";
import type { TokenVerifier } from "../../lib/auth/tokens.ts";
import { LabError } from "../../lib/errors/index.ts";
import type { LabRoute } from "../../lib/contracts/lab-route.ts";
import { authenticate, parseInput } from "./http-context.ts";

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteCall<P, Q, B, A = Actor> {
  actor: A;
  params: Out<P>;
  query: Out<Q>;
  /** The body parsed with the declared `body` schema (a route whose domain checks it itself reads rawBody). */
  body: Out<B>;
  rawBody: unknown;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface DeclaredRoutesOptions {
  tokens: TokenVerifier;
  /** The caller of a request when the process already knows it (the gateway authenticates on request). */
  knownActor?: (request: FastifyRequest) => Actor | null;
  /** Bodies as the process's parser leaves them (the gateway keeps bytes) to the value the schema reads. */
  decodeBody?: (body: unknown) => unknown;
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** The declaration a route was registered from (see declared-routes.ts). */
    declared?: LabRoute;
  }
}

/** The caller, authenticated, holding a grant for `action` (the domain checks the grant's scope); else a 401/403. */
export async function allowedActor(request: FastifyRequest, o: DeclaredRoutesOptions, action: Exclude<LabRoute["action"], "public">): Promise<Actor> {
  const actor = o.knownActor?.(request) ?? (await authenticate(request, o.tokens));
  const decision = authorize(actor, action);
  if (!decision.allowed) throw new LabError("forbidden", decision.reason);
  return actor;
}

export function declaredRoutes(app: FastifyInstance, o: DeclaredRoutesOptions) {
  function register<P extends z.ZodType | undefined, Q extends z.ZodType | undefined, B extends z.ZodType | undefined, R, A>(
    route: LabRoute<P, Q, B, R>,
    actorOf: (request: FastifyRequest) => Promise<A>,
    handler: (call: RouteCall<P, Q, B, A>) => Promise<R | FastifyReply> | R | FastifyReply,
    options: { bodyLimit?: number },
  ): void {
    app.route({
      method: route.method,
      url: route.path,
      ...options,
      config: { declared: route as LabRoute },
      handler: async (request, reply) => {
        const actor = await actorOf(request);
        const rawBody = o.decodeBody ? o.decodeBody(request.body) : request.body;
        const call = {
          actor,
          params: (route.params ? parseInput(route.params, request.params, "path") : undefined) as Out<P>,
          query: (route.query ? parseInput(route.query, request.query, "query") : undefined) as Out<Q>,
          // An absent body reads as {}: its error then names the first field it needs.
          body: (route.body ? parseInput(route.body, rawBody ?? {}, "body") : undefined) as Out<B>,
          rawBody,
          request,
          reply,
        };
        const answer = await handler(call);
        // A handler that answered itself (another content type, a status of its own) returns the reply.
        if (answer !== reply && route.status) reply.status(route.status);
        return answer;
      },
    });
  }

  return {
    /** Serves a route that needs a token and a grant for its action. */
    serve<P extends z.ZodType | undefined, Q extends z.ZodType | undefined, B extends z.ZodType | undefined, R>(
      route: LabRoute<P, Q, B, R>,
      handler: (call: RouteCall<P, Q, B>) => Promise<NoInfer<R> | FastifyReply> | NoInfer<R> | FastifyReply,
      options: { bodyLimit?: number } = {},
    ): void {
      const action = route.action;
      if (action === "public") throw new Error(`${route.method} ${route.path} is public: serve it with servePublic`);
      register(route, (request) => allowedActor(request, o, action), handler, options);
    },
    /** Serves a route whose input the process it forwards to validates (the gateway's API): authorizes only. */
    forward(route: LabRoute, handler: (call: { actor: Actor; request: FastifyRequest; reply: FastifyReply }) => Promise<FastifyReply>): void {
      const action = route.action;
      if (action === "public") throw new Error(`${route.method} ${route.path} is public: serve it with servePublic`);
      app.route({
        method: route.method,
        url: route.path,
        config: { declared: route },
        handler: async (request, reply) => handler({ actor: await allowedActor(request, o, action), request, reply }),
      });
    },
    /** Serves a route declared public (probes, documents): no token is asked for. */
    servePublic<P extends z.ZodType | undefined, Q extends z.ZodType | undefined, B extends z.ZodType | undefined, R>(
      route: LabRoute<P, Q, B, R>,
      handler: (call: RouteCall<P, Q, B, null>) => Promise<NoInfer<R> | FastifyReply> | NoInfer<R> | FastifyReply,
    ): void {
      if (route.action !== "public") throw new Error(`${route.method} ${route.path} needs ${route.action}: serve it with serve`);
      register(route, async () => null, handler, {});
    },
  };
}

export type DeclaredRoutes = ReturnType<typeof declaredRoutes>;
