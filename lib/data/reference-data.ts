// Reference data and lab users, in the control database (the services read providers inside their commands).
import { type Actor, ActorSchema, type Role } from "../auth/roles.ts";
import { LabError } from "../errors/index.ts";
import type { LabDatabases } from "./lab-databases.ts";
import type { Facility, User } from "./prisma-clients.ts";

export async function listFacilities(lab: LabDatabases): Promise<Facility[]> {
  return lab.control.prisma.facility.findMany({ orderBy: { id: "asc" } });
}

export async function findUserByUsername(lab: LabDatabases, username: string): Promise<User | null> {
  return lab.control.prisma.user.findUnique({ where: { username } });
}

/** A demo persona's user as an actor (the lab's commands act as one); a lab never started has none yet. */
export async function demoPersonaActor(lab: LabDatabases, persona: Role): Promise<Actor> {
  const user = await findUserByUsername(lab, `${persona}.demo`);
  if (!user) throw new LabError("setup", `no ${persona}.demo user in this lab; start it once with npm run lab (it creates the personas)`);
  return ActorSchema.parse({ userId: user.id, role: user.role, facilityId: user.facilityId, patientId: user.patientId });
}
