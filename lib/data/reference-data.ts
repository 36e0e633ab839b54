// Reference data and lab users, in the control database (the services read providers inside their commands).
import type { LabDatabases } from "./lab-databases.ts";
import type { Facility, User } from "./prisma-clients.ts";

export async function listFacilities(lab: LabDatabases): Promise<Facility[]> {
  return lab.control.prisma.facility.findMany({ orderBy: { id: "asc" } });
}

export async function findUserByUsername(lab: LabDatabases, username: string): Promise<User | null> {
  return lab.control.prisma.user.findUnique({ where: { username } });
}
