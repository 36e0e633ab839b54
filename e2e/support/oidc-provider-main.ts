// The browser tests' identity provider as a process of its own (playwright.config.ts starts it beside the
// lab): a clinician, an SRE, and an account with no lab role.
import { carryNicenessToSession } from "../../lib/supervisor/session-niceness.ts";
import { startOidcProvider } from "./oidc-provider.ts";

carryNicenessToSession(process.pid); // Playwright starts it in a session of its own (ADR 0031)

const port = Number(process.argv[2] ?? 3109);
// The portal it serves (for the end-session endpoint's way back).
const portal = process.argv[3] ?? `http://127.0.0.1:${port - 9}`;
await startOidcProvider({
  port,
  clientId: "pim-portal-e2e",
  clientSecret: "e2e-client-secret-0123456789",
  postLogoutOrigins: [new URL(portal).origin],
  accounts: [
    { sub: "idp-ida", name: "Dr. Ida Provider", claims: { role: "clinician", facility_id: "fac-0001" } },
    { sub: "idp-oscar", name: "Oscar Oncall", claims: { role: "sre" } },
    { sub: "idp-nora", name: "Nora Norole", claims: {} },
  ],
});
process.stdout.write(`test identity provider at http://127.0.0.1:${port}\n`);
