// A launch checked before anything touches the lab: the request's shape, the drill and its params, the
// guardrails (duration, blast radius), the SLOs its abort conditions name, and the rollback it gets.
import { LabError } from "../errors/index.ts";
import { unknownSlos } from "./abort-conditions.ts";
import { DRILLS, type DrillDefinition, drillOf } from "./drill-catalog.ts";
import { type DrillGuardrails, DrillLaunch } from "./drill-request.ts";

/** The supervisor reverts this long after a run's own end: the engine's revert comes first when it is alive. */
export const DEADMAN_SLACK_SECONDS = 5;

export interface LabLimits {
  guardrails: DrillGuardrails;
  shardCount: number;
  knownSlos: ReadonlySet<string>;
}

export function validateLaunch(input: unknown, limits: LabLimits) {
  const parsed = DrillLaunch.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new LabError("invalid", issue.message, { field: issue.path.join(".") || "body" });
  }
  const launch = parsed.data;
  const drill = drillOf(launch.drill);
  if (!drill) throw new LabError("not_found", `no drill ${launch.drill} (catalog: ${DRILLS.map((d) => d.key).join(", ")})`, { field: "drill" });
  const params = drill.params.safeParse(launch.params);
  if (!params.success) {
    const issue = params.error.issues[0]!;
    throw new LabError("invalid", issue.message, { field: ["params", ...issue.path].join(".") });
  }
  const g = limits.guardrails;
  const maxDuration = Math.min(drill.maxDurationSeconds, g.maxDurationSeconds);
  if (launch.durationSeconds > maxDuration)
    throw new LabError("unprocessable", `${drill.key} runs at most ${maxDuration} s (guardrail)`, { field: "durationSeconds" });
  const { steps, radius } = drill.plan(params.data);
  const outside = radius.services.filter((s) => !g.services.includes(s));
  if (outside.length)
    throw new LabError("unprocessable", `${outside.join(", ")} is outside the drills' blast radius (${g.services.join(", ")})`, { field: "params.service" });
  if (radius.shards !== "all") {
    const bad = radius.shards.filter((s) => s >= limits.shardCount || (g.shards !== "all" && !g.shards.includes(s)));
    if (bad.length)
      throw new LabError(
        "unprocessable",
        `shard ${bad.join(", ")} is not one a drill may reach (the lab has ${limits.shardCount} shards${g.shards === "all" ? "" : `; allowed ${g.shards.join(", ")}`})`,
        { field: "params.shard" },
      );
  }
  if (radius.personas !== "all" && g.personas !== "all") {
    const bad = radius.personas.filter((p) => !g.personas.includes(p));
    if (bad.length) throw new LabError("unprocessable", `persona ${bad.join(", ")} is outside the drills' blast radius`, { field: "params.personas" });
  }
  const unknown = unknownSlos(launch.abortWhen, limits.knownSlos);
  if (unknown.length) throw new LabError("unprocessable", `no SLO named ${unknown.join(", ")}`, { field: "abortWhen" });
  // Rolling back on deviation needs the deviation said: without conditions a drill always rolls back.
  if (launch.rollback === "on-deviation" && launch.abortWhen.length === 0) {
    throw new LabError("unprocessable", "rollback on-deviation needs abortWhen conditions: the deviation that rolls it back", { field: "abortWhen" });
  }
  const rollback = launch.rollback ?? (drill.defaultRollback === "on-deviation" && launch.abortWhen.length > 0 ? "on-deviation" : "always");
  return { launch, drill, params: params.data as Record<string, unknown>, steps, radius, rollback };
}

/** How long after its start the supervisor reverts a run: a kept rollout lives until the drill's longest allowed time. */
export function deadlineSeconds(drill: DrillDefinition, durationSeconds: number, rollback: "always" | "on-deviation", guardrails: DrillGuardrails): number {
  return (rollback === "on-deviation" ? Math.min(drill.maxDurationSeconds, guardrails.maxDurationSeconds) : durationSeconds) + DEADMAN_SLACK_SECONDS;
}
