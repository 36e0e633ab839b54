// The long-lived connection set of a server process (the portal, later the services): opened on first use
// from the configuration, shared by every request, kept across hot reloads in development.
import { type LabConfig, loadConfig } from "../config/index.ts";
import { type LabDatabases, openLabDatabases } from "./lab-databases.ts";

const holder = globalThis as typeof globalThis & { __pimLab?: Promise<LabDatabases> };

export function labConfig(): LabConfig {
  return loadConfig();
}

export function sharedLabDatabases(): Promise<LabDatabases> {
  if (!holder.__pimLab) {
    holder.__pimLab = openLabDatabases(labConfig()).catch((err: unknown) => {
      holder.__pimLab = undefined; // let the next request try again
      throw err;
    });
  }
  return holder.__pimLab;
}
