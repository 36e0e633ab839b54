// The lab's endpoints a client may call, by name: the control routes of every process and the clinical and
// billing API through the gateway (not the probes, the documents, or the services' own fault switches,
// which the supervisor sets with a deadline).
import { API } from "../contracts/api-catalog.ts";
import type { AnswerOf, Jsonified } from "../contracts/lab-route.ts";
import { DRILL_ENGINE_ROUTES } from "../contracts/routes/drill-engine-routes.ts";
import { EXERCISE_ROUTES } from "../contracts/routes/exercise-routes.ts";
import { GATEWAY_ROUTES } from "../contracts/routes/gateway-routes.ts";
import { PROJECTOR_ROUTES } from "../contracts/routes/projector-routes.ts";
import { SIMULATOR_ROUTES } from "../contracts/routes/simulator-routes.ts";
import { SUPERVISOR_ROUTES } from "../contracts/routes/supervisor-routes.ts";

const { openApi: _openApi, apiDocs: _apiDocs, ...GATEWAY_CONTROL } = GATEWAY_ROUTES;

export const LAB_ENDPOINTS = {
  ...GATEWAY_CONTROL,
  ...SUPERVISOR_ROUTES,
  ...SIMULATOR_ROUTES,
  ...DRILL_ENGINE_ROUTES,
  ...EXERCISE_ROUTES,
  ...PROJECTOR_ROUTES,
  ...API,
};

export type LabEndpoints = typeof LAB_ENDPOINTS;
export type LabEndpointName = keyof LabEndpoints;

/** Each group's names, for a test that no name shadows another when the groups are merged. */
export const ENDPOINT_GROUPS = [GATEWAY_CONTROL, SUPERVISOR_ROUTES, SIMULATOR_ROUTES, DRILL_ENGINE_ROUTES, EXERCISE_ROUTES, PROJECTOR_ROUTES, API].map((g) =>
  Object.keys(g),
);

/** What an endpoint answers, as it arrives (over JSON): the type a page or component holds. */
export type LabAnswer<K extends LabEndpointName> = Jsonified<AnswerOf<LabEndpoints[K]>>;
