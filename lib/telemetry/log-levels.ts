// The levels of the lab's JSON log lines (pino's numbers: trace 10 … fatal 60), by name, least severe first.
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
