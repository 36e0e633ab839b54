// Calling the e2e lab's processes directly, as a persona would through an API client: a lab token for a
// role (the lab's built-in secret), and where each process listens (playwright.config.ts: wholeLabPorts).
import { issueLabToken, labSigningKey } from "../lib/auth/tokens.ts";
import { loadConfig } from "../lib/config/index.ts";
import { wholeLabPorts } from "../test/support/lab-ports.ts";

const key = labSigningKey(loadConfig({}).privacySecret);
const ports = wholeLabPorts(Number(process.env.E2E_PORT ?? 3100));

/**
 * The Authorization header of a test persona; a clinician works at fac-0001, a patient has no real record.
 * `userId` makes it a demo persona's own (usr-oncall: the one signed in as Olive Demo in the browser).
 */
export async function bearer(role: "clinician" | "instructor" | "patient" | "sre" | "oncall", userId = `usr-e2e-${role}`): Promise<{ authorization: string }> {
  const token = await issueLabToken(key, {
    userId,
    role,
    facilityId: role === "clinician" ? "fac-0001" : null,
    patientId: role === "patient" ? "pat-none" : null,
  });
  return { authorization: `Bearer ${token}` };
}

export const gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
export const supervisorUrl = `http://127.0.0.1:${ports.supervisor}`;
export const drillsUrl = `http://127.0.0.1:${ports.drills}`;
