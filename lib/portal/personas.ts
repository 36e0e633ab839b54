// The portal's sign-in in embedded mode: the lab's demo personas (one user per role, created by npm run
// lab) to choose from, and what a signed-in session carries. Framework-free: the Auth.js options in
// app/auth-options.ts and the API routes use it.
import { createHmac } from "node:crypto";
import { ActorSchema, type Actor, ROLES, type Role } from "../auth/roles.ts";
import type { SqlDatabase } from "../data/sql-database.ts";

export interface Persona {
  username: string;
  displayName: string;
  actor: Actor;
}

type UserRow = { id: string; username: string; displayName: string; role: string; facilityId: string | null; patientId: string | null };

const toPersona = (u: UserRow): Persona => ({
  username: u.username,
  displayName: u.displayName,
  actor: ActorSchema.parse({ userId: u.id, role: u.role, facilityId: u.facilityId, patientId: u.patientId }),
});

/** The demo personas, in the order of the roles (patient first, admin last). */
export async function listPersonas(control: SqlDatabase): Promise<Persona[]> {
  const rows = await control.query<UserRow>(
    `SELECT "id", "username", "displayName", "role", "facilityId", "patientId" FROM "users" WHERE "username" LIKE '%.demo'`,
  );
  return rows.map(toPersona).sort((a, b) => ROLES.indexOf(a.actor.role) - ROLES.indexOf(b.actor.role));
}

export async function findPersona(control: SqlDatabase, username: string): Promise<Persona | null> {
  if (!/^[a-z]+\.demo$/.test(username)) return null;
  const [row] = await control.query<UserRow>(`SELECT "id", "username", "displayName", "role", "facilityId", "patientId" FROM "users" WHERE "username" = ?`, [
    username,
  ]);
  return row ? toPersona(row) : null;
}

/** The key that signs the portal's session cookies, derived from the lab secret (one secret to manage). */
export function portalSessionSecret(labSecret: string): string {
  return createHmac("sha256", labSecret).update("pim-sre-lab/portal-session/v1").digest("base64url");
}

/** The actor a session stands for, when it carries a well-formed one. */
export function actorOfSession(session: { user?: Record<string, unknown> } | null): Actor | null {
  const parsed = ActorSchema.safeParse(session?.user?.actor);
  return parsed.success ? parsed.data : null;
}

export type { Role };
