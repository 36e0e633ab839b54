// Signing out of the portal: the session cookies to clear, and where the browser goes next. A session
// that came from an OpenID Connect provider also ends at the provider (RP-Initiated Logout 1.0): the
// browser is sent to its end_session_endpoint with the ID token as a hint, and comes back to the
// sign-in page. Without that, the provider's own session would sign the person straight back in.

/** next-auth 4's session cookie, plain or __Secure- (https), whole or in chunks (.0, .1, ...). */
const SESSION_COOKIE = /^(__Secure-)?next-auth\.session-token(\.\d+)?$/;

export function sessionCookiesToClear(cookieNames: readonly string[]): { name: string; secure: boolean }[] {
  return cookieNames.filter((name) => SESSION_COOKIE.test(name)).map((name) => ({ name, secure: name.startsWith("__Secure-") }));
}

export interface SignOutTarget {
  /** Where the portal sends the browser (303). */
  location: string;
  /** Whether the provider's session is ended too. */
  atProvider: boolean;
}

/**
 * The provider's end-session URL for this session, when the session has an ID token and the provider
 * advertises an end_session_endpoint; otherwise straight back to the sign-in page. Either way the browser
 * ends on `signInPage` with `signedOut=provider` or `signedOut=portal`, so the page can say which.
 */
export function signOutTarget(
  session: { idToken: string | null },
  provider: { clientId: string; endSessionEndpoint: string | null } | null,
  signInPage: string,
): SignOutTarget {
  const back = (where: "provider" | "portal") => `${signInPage}?signedOut=${where}`;
  if (!session.idToken || !provider?.endSessionEndpoint) return { location: back("portal"), atProvider: false };
  const afterSignOut = back("provider");
  const url = new URL(provider.endSessionEndpoint);
  url.searchParams.set("id_token_hint", session.idToken);
  url.searchParams.set("client_id", provider.clientId);
  url.searchParams.set("post_logout_redirect_uri", afterSignOut);
  return { location: url.toString(), atProvider: true };
}

/** The end_session_endpoint from a discovery document, if it is an http(s) URL. */
export function endSessionEndpointOf(discovery: unknown): string | null {
  const value = (discovery as { end_session_endpoint?: unknown } | null)?.end_session_endpoint;
  if (typeof value !== "string") return null;
  try {
    return ["http:", "https:"].includes(new URL(value).protocol) ? value : null;
  } catch {
    return null;
  }
}
