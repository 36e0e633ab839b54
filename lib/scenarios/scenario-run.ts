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

/** What every conducted run (a scenario's, an exercise's) records: who started it, its ids, its clock and end. */
export interface ConductedRun<S extends string> {
  id: string;
  title: string;
  status: S;
  startedBy: string;
  /** The request id and trace every act of the run carries, so an audit search by either finds it all. */
  requestId: string;
  traceId: string;
  startedAt: string;
  /** When its clock runs out (a scenario's duration, an exercise's time limit). */
  endsAt: string;
  endedAt: string | null;
  endReason: string | null;
  /** Budget left (0-1 of the window's) per SLO it watches; null where the SLOs could not be read. */
  budgetsAtStart: Record<string, number> | null;
  budgetsAtEnd: Record<string, number> | null;
}

export interface ScenarioRun extends ConductedRun<ScenarioRunStatus> {
  scenario: string;
  watch: string[];
  steps: ScenarioRunStep[];
}
