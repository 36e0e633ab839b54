import { describe, expect, it } from "vitest";
import { endSessionEndpointOf, sessionCookiesToClear, signOutTarget } from "./oidc-sign-out.ts";

const signIn = "http://127.0.0.1:3100/sign-in";
const [portalOnly, withProvider] = [`${signIn}?signedOut=portal`, `${signIn}?signedOut=provider`];

describe("signing out of the portal", () => {
  it("clears next-auth's session cookie in every form it takes, and nothing else", () => {
    const names = [
      "next-auth.session-token",
      "__Secure-next-auth.session-token.0",
      "__Secure-next-auth.session-token.1",
      "next-auth.csrf-token",
      "idp_session",
      "next-auth.session-token-evil",
    ];
    expect(sessionCookiesToClear(names)).toEqual([
      { name: "next-auth.session-token", secure: false },
      { name: "__Secure-next-auth.session-token.0", secure: true },
      { name: "__Secure-next-auth.session-token.1", secure: true },
    ]);
  });

  it("sends a provider's session to the provider's end-session endpoint with the ID token as hint, and back to sign-in", () => {
    const target = signOutTarget(
      { idToken: "eyJ.id.token" },
      { clientId: "pim-portal", endSessionEndpoint: "https://idp.example.org/logout?realm=lab" },
      signIn,
    );
    expect(target.atProvider).toBe(true);
    const url = new URL(target.location);
    expect(url.origin + url.pathname).toBe("https://idp.example.org/logout");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      realm: "lab",
      id_token_hint: "eyJ.id.token",
      client_id: "pim-portal",
      post_logout_redirect_uri: withProvider,
    });
  });

  it("ends only the portal's session for a persona, or when the provider offers no end-session endpoint", () => {
    expect(signOutTarget({ idToken: null }, { clientId: "pim-portal", endSessionEndpoint: "https://idp.example.org/logout" }, signIn)).toEqual({
      location: portalOnly,
      atProvider: false,
    });
    expect(signOutTarget({ idToken: "eyJ.id.token" }, { clientId: "pim-portal", endSessionEndpoint: null }, signIn)).toEqual({
      location: portalOnly,
      atProvider: false,
    });
    expect(signOutTarget({ idToken: "eyJ.id.token" }, null, signIn)).toEqual({ location: portalOnly, atProvider: false });
  });

  it("reads the end-session endpoint from discovery only when it is an http(s) URL", () => {
    expect(endSessionEndpointOf({ end_session_endpoint: "https://idp.example.org/logout" })).toBe("https://idp.example.org/logout");
    expect(endSessionEndpointOf({ end_session_endpoint: "javascript:alert(1)" })).toBeNull();
    expect(endSessionEndpointOf({ end_session_endpoint: "not a url" })).toBeNull();
    expect(endSessionEndpointOf({})).toBeNull();
    expect(endSessionEndpointOf(null)).toBeNull();
  });
});
