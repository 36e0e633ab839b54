// A scenario run's record: what the conductor did when, which drills it launched, and the watched SLOs'
// budgets when it started and ended (the narrative's "budget spent").
export type ScenarioRunStatus = "running" | "completed" | "stopped" | "failed";

export interface ScenarioRunStep {
  afterSeconds: number;
  cue: string;
  /** The drill's catalog key, when the step launches one. */
  drill: string | null;
  dueAt: string;
  cuedAt: string | null;
  drillRunId: string | null;
  error: string | null;
}

export interface ScenarioRun {
  id: string;
  scenario: string;
  title: string;
  status: ScenarioRunStatus;
  startedBy: string;
  requestId: string;
  traceId: string;
  startedAt: string;
  /** When the scenario's script is over (its duration). */
  endsAt: string;
  endedAt: string | null;
  endReason: string | null;
  watch: string[];
  /** Budget left (0-1 of the window's) per watched SLO; null where the SLOs could not be read. */
  budgetsAtStart: Record<string, number> | null;
  budgetsAtEnd: Record<string, number> | null;
  steps: ScenarioRunStep[];
}
