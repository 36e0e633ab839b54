// Reference data and lab users, in the control database.
import type { LabDatabases } from "./lab-databases.ts";
import type { Facility, Provider, User } from "./prisma-clients.ts";

export async function listFacilities(lab: LabDatabases): Promise<Facility[]> {
  return lab.control.prisma.facility.findMany({ orderBy: { id: "asc" } });
}

export async function listProviders(lab: LabDatabases, facilityId: string): Promise<Provider[]> {
  return lab.control.prisma.provider.findMany({ where: { facilityId }, orderBy: { id: "asc" } });
}

export async function listUsers(lab: LabDatabases): Promise<User[]> {
  return lab.control.prisma.user.findMany({ orderBy: { id: "asc" } });
}

export async function findUserByUsername(lab: LabDatabases, username: string): Promise<User | null> {
  return lab.control.prisma.user.findUnique({ where: { username } });
}
