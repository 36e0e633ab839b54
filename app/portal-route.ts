// How the portal's API routes answer: the caller (their bearer token, else the signed-in persona), held to
// the route's declared access (lib/portal/portal-routes.ts) before the handler runs, and every failure as
// a problem body (lib/errors). A pass-through serves its declared lab routes only, each checked against its
// own action here before the lab process checks it again.
import "server-only";
import { labBearer, currentActor } from "@/app/session.ts";
import { type View, authorize } from "@/lib/auth/policy.ts";
import type { Actor } from "@/lib/auth/roles.ts";
import { type TokenTrust, tokenTrustOf, verifyLabToken } from "@/lib/auth/tokens.ts";
import { labConfig } from "@/app/portal-connections.ts";
import { PROCESS_NAMES } from "@/lib/contracts/lab-route.ts";
import { LabError } from "@/lib/errors/index.ts";
import { errorResponse } from "@/lib/errors/problem-response.ts";
import { labOrigins } from "@/lib/lab-client/lab-client.ts";
import { forwardToLab, noSuchRoute, passedRoute } from "@/lib/lab-client/lab-pass-through.ts";
import type { PortalPassThrough, PortalRoute, RouteAccess } from "@/lib/portal/portal-routes.ts";
import { redactForLog } from "@/lib/privacy/redact.ts";

// Next passes no params to a route without dynamic segments (/api/traffic).
type Context = { params?: Promise<Record<string, string | string[]>> } | undefined;

let trust: TokenTrust | undefined;

/** Who calls: the bearer token they send (the lab's or the identity provider's), else the signed-in persona. */
async function callerOf(request: Request): Promise<Actor> {
  const header = request.headers.get("authorization");
  if (header !== null) {
    const token = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(header)?.[1];
    if (!token) throw new LabError("unauthenticated", "send Authorization: Bearer <token>", { field: "authorization" });
    trust ??= tokenTrustOf(labConfig());
    return verifyLabToken(trust, token);
  }
  const actor = await currentActor();
  if (!actor) throw new LabError("unauthenticated", "sign in, or send a lab bearer token", { field: "authorization" });
  return actor;
}

/** The caller held to `access`, with the view their grant gives. */
async function allowed(request: Request, access: Exclude<RouteAccess, "public">): Promise<{ actor: Actor; view: View }> {
  const actor = await callerOf(request);
  if (access === "signed-in") return { actor, view: "full" };
  const decision = authorize(actor, access);
  if (!decision.allowed) throw new LabError("forbidden", decision.reason);
  return { actor, view: decision.view };
}

const logged = (route: string) => (err: unknown) => console.error(JSON.stringify({ level: "error", msg: `${route} failed`, err: redactForLog(err) }));

export interface PortalCall<A> {
  actor: A;
  view: View;
  request: Request;
}

/** A route of the portal's own that needs a caller allowed its declared access. */
export function portalRoute(decl: PortalRoute & { access: Exclude<RouteAccess, "public"> }, handler: (call: PortalCall<Actor>) => Promise<Response>) {
  return async (request: Request): Promise<Response> => {
    try {
      return await handler({ ...(await allowed(request, decl.access)), request });
    } catch (err) {
      return errorResponse(err, logged(`${request.method} ${decl.route}`));
    }
  };
}

/** A route of the portal's own declared public: it answers anyone (its own checks, such as same origin, are its handler's). */
export function publicRoute<R extends Request, C>(decl: PortalRoute & { access: "public" }, handler: (request: R, context: C) => Promise<Response>) {
  return async (request: R, context: C): Promise<Response> => {
    try {
      return await handler(request, context);
    } catch (err) {
      return errorResponse(err, logged(`${request.method} ${decl.route}`));
    }
  };
}

/** The handler of a pass-through: the request's declared lab route, its caller allowed that route's action, forwarded. */
export function passThrough(decl: PortalPassThrough) {
  return async (request: Request, context: Context): Promise<Response> => {
    const path = (await context?.params)?.path;
    const segments = Array.isArray(path) ? path : path === undefined ? [] : [path];
    const passed = passedRoute(decl, request.method, segments);
    if (!passed) return noSuchRoute(decl, request.method, segments);
    try {
      const action = passed.route.action;
      if (action === "public") throw new Error(`${decl.route} passes a public route`);
      const { actor } = await allowed(request, action);
      const authorization = request.headers.get("authorization") ?? (await labBearer(actor));
      return await forwardToLab(
        request,
        `${labOrigins(labConfig())[decl.process]}${passed.labPath}${new URL(request.url).search}`,
        PROCESS_NAMES[decl.process],
        authorization,
      );
    } catch (err) {
      return errorResponse(err, logged(`${request.method} ${decl.route}`));
    }
  };
}
