// The life of one SLO tier's alert, evaluated once a minute as Prometheus evaluates an alerting rule:
// inactive -> pending when both windows burn above the factor; pending -> firing once that has held for
// the tier's `for`; firing -> resolved when it stops; resolved is kept for a while (as Alertmanager shows
// resolved alerts) and becomes inactive unless the burn returns.
export type AlertState = "inactive" | "pending" | "firing" | "resolved";

export interface TierAlert {
  state: AlertState;
  /** Minute the condition started to hold (pending or firing). */
  activeSince: number | null;
  /** Minute it last fired, and minute it last resolved. */
  firedAt: number | null;
  resolvedAt: number | null;
}

export const INACTIVE: TierAlert = { state: "inactive", activeSince: null, firedAt: null, resolvedAt: null };

/** Minutes a resolved alert stays resolved before it counts as inactive. */
export const KEEP_RESOLVED_MINUTES = 15;

export function stepAlert(previous: TierAlert, conditionMet: boolean, minute: number, forMinutes: number): TierAlert {
  if (conditionMet) {
    if (previous.state === "firing") return previous;
    const activeSince = previous.state === "pending" ? previous.activeSince! : minute;
    if (minute - activeSince >= forMinutes) return { ...previous, state: "firing", activeSince, firedAt: minute };
    return previous.state === "pending" ? previous : { ...previous, state: "pending", activeSince };
  }
  switch (previous.state) {
    case "firing":
      return { ...previous, state: "resolved", activeSince: null, resolvedAt: minute };
    case "pending":
      return { ...previous, state: "inactive", activeSince: null }; // it never fired: nothing to resolve
    case "resolved":
      return minute - previous.resolvedAt! >= KEEP_RESOLVED_MINUTES ? { ...previous, state: "inactive" } : previous;
    default:
      return previous;
  }
}
