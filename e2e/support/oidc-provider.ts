// A small OpenID Connect provider for the browser tests: discovery, an authorization endpoint whose login
// page lists a few accounts (no passwords), the code flow with PKCE (S256) and client authentication, ID
// tokens signed RS256 with the keys at its JWKS, a session of its own (a cookie: a second sign-in skips the
// login page, as single sign-on does) and RP-Initiated Logout at its end_session_endpoint. Enough of the
// protocol for the portal's next-auth client to do real round trips; it stands in for an organisation's
// provider (Keycloak, Entra ID, Okta).
import { createHash, randomBytes } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import { SignJWT, compactVerify, exportJWK, generateKeyPair } from "jose";

export interface ProviderAccount {
  sub: string;
  name: string;
  claims: Record<string, string>;
}

export interface ProviderOptions {
  port: number;
  clientId: string;
  clientSecret: string;
  accounts: ProviderAccount[];
  /** Where the end-session endpoint may send the browser back to: URLs on these origins only. */
  postLogoutOrigins: string[];
}

interface Grant {
  account: ProviderAccount;
  redirectUri: string;
  challenge: string;
  nonce: string | undefined;
}

const html = (res: ServerResponse, status: number, body: string) =>
  res
    .writeHead(status, { "content-type": "text/html; charset=utf-8" })
    .end(`<!doctype html><html lang="en"><head><title>Lab test identity provider</title></head><body><main>${body}</main></body></html>`);
const json = (res: ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(body));
const SESSION_COOKIE = "lab_idp_session";
const cookieOf = (req: IncomingMessage, name: string) => new RegExp(`(?:^|;\\s*)${name}=([^;]+)`).exec(req.headers.cookie ?? "")?.[1];
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function formOf(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

export async function startOidcProvider(options: ProviderOptions): Promise<Server> {
  const issuer = `http://127.0.0.1:${options.port}`;
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "lab-e2e-1", alg: "RS256", use: "sig" };
  const grants = new Map<string, Grant>();
  // Signed-in browsers: session id (the cookie) -> account.
  const sessions = new Map<string, ProviderAccount>();

  /** The ID token hint's subject, when the provider signed it for this client (expired hints still count, as the spec allows). */
  const hintedSubject = async (hint: string | null): Promise<string | null> => {
    if (!hint) return null;
    try {
      const claims = JSON.parse(new TextDecoder().decode((await compactVerify(hint, publicKey)).payload)) as { iss?: string; aud?: string; sub?: string };
      return claims.iss === issuer && claims.aud === options.clientId && claims.sub ? claims.sub : null;
    } catch {
      return null;
    }
  };

  const clientOf = (req: IncomingMessage, form: URLSearchParams): boolean => {
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? "");
    const [id, secret] = basic
      ? Buffer.from(basic[1]!, "base64").toString("utf8").split(":").map(decodeURIComponent)
      : [form.get("client_id"), form.get("client_secret")];
    return id === options.clientId && secret === options.clientSecret;
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", issuer);
      if (url.pathname === "/.well-known/openid-configuration") {
        return json(res, 200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ["code"],
          subject_types_supported: ["public"],
          id_token_signing_alg_values_supported: ["RS256"],
          code_challenge_methods_supported: ["S256"],
          end_session_endpoint: `${issuer}/logout`,
          token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
          scopes_supported: ["openid", "profile"],
        });
      }
      if (url.pathname === "/jwks") return json(res, 200, { keys: [jwk] });
      if (url.pathname === "/authorize") {
        const q = url.searchParams;
        if (
          q.get("client_id") !== options.clientId ||
          q.get("response_type") !== "code" ||
          q.get("code_challenge_method") !== "S256" ||
          !q.get("code_challenge") ||
          !q.get("redirect_uri")
        ) {
          return html(res, 400, "<h1>Bad authorization request</h1>");
        }
        const chosen = options.accounts.find((a) => a.sub === q.get("login"));
        const remembered = q.get("prompt") === "login" ? undefined : sessions.get(cookieOf(req, SESSION_COOKIE) ?? "");
        const account = chosen ?? remembered;
        if (!account) {
          // The login page: one link per account, carrying the request on.
          const links = options.accounts
            .map(
              (a) =>
                `<li><a href="/authorize?${escape(new URLSearchParams({ ...Object.fromEntries(q), login: a.sub }).toString())}">${escape(a.name)}</a></li>`,
            )
            .join("");
          return html(res, 200, `<h1>Sign in to the lab test identity provider</h1><ul>${links}</ul>`);
        }
        const code = randomBytes(24).toString("base64url");
        grants.set(code, { account, redirectUri: q.get("redirect_uri")!, challenge: q.get("code_challenge")!, nonce: q.get("nonce") ?? undefined });
        const back = new URL(q.get("redirect_uri")!);
        back.searchParams.set("code", code);
        if (q.get("state")) back.searchParams.set("state", q.get("state")!);
        const headers: Record<string, string> = { location: back.toString() };
        if (chosen) {
          const session = randomBytes(18).toString("base64url");
          sessions.set(session, chosen);
          headers["set-cookie"] = `${SESSION_COOKIE}=${session}; Path=/; HttpOnly; SameSite=Lax`;
        }
        return res.writeHead(302, headers).end();
      }
      if (url.pathname === "/logout") {
        const q = url.searchParams;
        const subject = await hintedSubject(q.get("id_token_hint"));
        if (q.get("id_token_hint") && !subject)
          return html(res, 400, "<h1>Bad logout request</h1><p>The ID token hint is not one this provider issued to the client.</p>");
        const session = cookieOf(req, SESSION_COOKIE);
        if (session && (!subject || sessions.get(session)?.sub === subject)) sessions.delete(session);
        const expired = `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
        const target = q.get("post_logout_redirect_uri");
        // Back to the client only with a verified hint and to a registered origin: never an open redirect.
        if (target && subject && options.postLogoutOrigins.includes(new URL(target).origin)) {
          const back = new URL(target);
          if (q.get("state")) back.searchParams.set("state", q.get("state")!);
          return res.writeHead(302, { location: back.toString(), "set-cookie": expired }).end();
        }
        res.setHeader("set-cookie", expired);
        return html(res, 200, "<h1>You are signed out of the lab test identity provider</h1>");
      }
      if (url.pathname === "/token" && req.method === "POST") {
        const form = await formOf(req);
        if (!clientOf(req, form)) return json(res, 401, { error: "invalid_client" });
        const grant = grants.get(form.get("code") ?? "");
        grants.delete(form.get("code") ?? "");
        const verifier = form.get("code_verifier") ?? "";
        if (
          !grant ||
          form.get("grant_type") !== "authorization_code" ||
          form.get("redirect_uri") !== grant.redirectUri ||
          createHash("sha256").update(verifier).digest("base64url") !== grant.challenge
        ) {
          return json(res, 400, { error: "invalid_grant" });
        }
        const sign = (claims: Record<string, unknown>, audience: string) =>
          new SignJWT(claims)
            .setProtectedHeader({ alg: "RS256", kid: jwk.kid })
            .setIssuer(issuer)
            .setSubject(grant.account.sub)
            .setAudience(audience)
            .setIssuedAt()
            .setExpirationTime("10m")
            .sign(privateKey);
        const claims = { name: grant.account.name, ...grant.account.claims };
        return json(res, 200, {
          token_type: "Bearer",
          expires_in: 600,
          access_token: await sign(claims, "pim-sre-lab-api"),
          id_token: await sign({ ...claims, ...(grant.nonce ? { nonce: grant.nonce } : {}) }, options.clientId),
        });
      }
      return json(res, 404, { error: "not_found" });
    })().catch((err: unknown) => json(res, 500, { error: "server_error", error_description: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(options.port, "127.0.0.1", resolve));
  return server;
}
