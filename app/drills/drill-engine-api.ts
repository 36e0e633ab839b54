// What the drills pages read from the drill engine (GET /_lab/drills/...), typed as the engine answers.
import type { DrillGuardrails } from "@/lib/drills/drill-request.ts";
import type { DrillRun } from "@/lib/drills/drill-runs.ts";
import { labConfig } from "@/lib/data/lab-connection.ts";
import type { JsonSchema } from "@/lib/portal/schema-form.ts";

export const drillEngine = () => `http://127.0.0.1:${labConfig().drills.port}/_lab/drills`;

export interface CatalogDrill {
  key: string;
  title: string;
  failureMode: string;
  maxDurationSeconds: number;
  defaultRollback: "always" | "on-deviation";
  params: JsonSchema;
}

export type Catalog = { drills: CatalogDrill[]; guardrails: DrillGuardrails };
export type Runs = { runs: DrillRun[] };

/** A dry run's answer: the exact targets (process, pid) and the deadline the supervisor would keep. */
export interface DryRun {
  drill: string;
  title: string;
  durationSeconds: number;
  rollback: "always" | "on-deviation";
  abortWhen: DrillRun["abortWhen"];
  radius: DrillRun["radius"];
  starts: string[];
  deadlineSeconds: number;
  targets: { description: string; process: string; pid: number | null }[];
}

export const RUN_ID = /^drl-[a-z0-9-]{1,60}$/;
export const DRILL_KEY = /^[a-z0-9-]{1,60}$/;
