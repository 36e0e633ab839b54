// The simulator's routes (:4104): what traffic runs and how it fares, start a profile, stop it.
import { z } from "zod";
import type { SimulatorControl } from "../../simulator/simulator-control.ts";
import { route, servedBy } from "../lab-route.ts";

export const StartTraffic = z.strictObject({
  profile: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be a traffic profile's name"),
  durationSeconds: z
    .number()
    .int()
    .min(1)
    .max(7 * 86_400)
    .optional(),
  /** Another seed than the profile's: the same profile, other users and timings (an exercise's own). */
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
});

export type TrafficStatus = ReturnType<SimulatorControl["status"]>;
type TrafficRun = { run: Awaited<ReturnType<SimulatorControl["start"]>> };

export const SIMULATOR_ROUTES = servedBy("simulator", {
  traffic: route<TrafficStatus>()({
    at: "GET /_lab/traffic",
    action: "controls.read",
    summary: "The running profile, the warm-up, recent runs and the profiles",
  }),
  startTraffic: route<TrafficRun>()({
    at: "PUT /_lab/traffic",
    action: "traffic.control",
    body: StartTraffic,
    summary: "Start a traffic profile (the running one stops)",
  }),
  stopTraffic: route<{ run: Awaited<ReturnType<SimulatorControl["stop"]>> }>()({
    at: "DELETE /_lab/traffic",
    action: "traffic.shed",
    summary: "Stop the traffic",
  }),
});
