// How the drill engine reaches the lab: the supervisor applies fault rules, kills and pauses (each with
// a deadline its deadman keeps), the simulator changes the traffic, the gateway reports the SLOs. Every
// call carries the drill's trace and a request id naming the run and step, so the supervisor's and the
// services' audit entries join the drill's.
import { randomBytes } from "node:crypto";
import { request } from "undici";
import { LabError } from "../errors/index.ts";
import type { SloHistory } from "../slo/slo-history.ts";
import type { SloReport } from "../slo/slo-status.ts";
import type { DrillAction } from "./drill-catalog.ts";

export interface EffectMeta {
  requestId: string;
  traceparent: string;
}

/** What applying an action left behind that its revert needs (the traffic it replaced, and how long that had left). */
export type AppliedEffect = { target: string; previous?: { profile: string; remainingSeconds: number } | null };

export interface LabEffects {
  apply(action: DrillAction, deadlineSeconds: number, meta: EffectMeta): Promise<AppliedEffect>;
  revert(action: DrillAction, applied: AppliedEffect, meta: EffectMeta): Promise<void>;
  emergencyStop(meta: EffectMeta): Promise<void>;
  /** The lab's processes (name, pid, state), for a dry run's exact targets. */
  processes(): Promise<{ name: string; pid: number | null; state: string }[]>;
  /** The gateway's SLO report, within `timeoutMs` (abort conditions must not hold a run past its end). */
  sloReport(timeoutMs?: number): Promise<SloReport>;
}

export interface HttpLabEffectsOptions {
  supervisorUrl: string;
  simulatorUrl: string;
  gatewayUrl: string;
  /** The engine's own token (an instructor: fault.switch, traffic.control, ops.read). */
  token: () => Promise<string>;
  timeoutMs?: number;
}

/** The lab's calls the exercise conductor makes besides the drills': SLO reads, and the exercise's traffic. */
export interface ExerciseLab {
  sloHistory(name: string, minutes: number): Promise<SloHistory>;
  setTraffic(traffic: { profile: string; seed?: number; durationSeconds?: number } | null, meta: { requestId: string; traceId: string }): Promise<void>;
}

/** The exercise conductor's lab over HTTP; `usualTraffic` is what runs when no exercise does ("off": none). */
export function httpExerciseLab(o: HttpLabEffectsOptions & { usualTraffic: string }): ExerciseLab {
  const call = labCaller(o);
  // A span of its own under the run's trace, as the drill engine's calls have.
  const headersOf = (meta: { requestId: string; traceId: string }) => ({
    requestId: meta.requestId,
    traceparent: `00-${meta.traceId}-${randomBytes(8).toString("hex")}-01`,
  });
  return {
    sloHistory: (name, minutes) =>
      call<{ history: SloHistory }>("GET", `${o.gatewayUrl}/_lab/slos/${encodeURIComponent(name)}/history?minutes=${minutes}`).then((r) => r.history),
    async setTraffic(traffic, meta) {
      const url = `${o.simulatorUrl}/_lab/traffic`;
      if (traffic) await call("PUT", url, traffic, headersOf(meta));
      else if (o.usualTraffic === "off") await call("DELETE", url, undefined, headersOf(meta));
      else await call("PUT", url, { profile: o.usualTraffic }, headersOf(meta));
    },
  };
}

/** One JSON call of a lab process with the engine's token, failures as LabError naming the call. */
function labCaller(o: HttpLabEffectsOptions) {
  return async <T>(
    method: "GET" | "PUT" | "POST" | "DELETE",
    url: string,
    body?: unknown,
    meta?: EffectMeta,
    timeoutMs = o.timeoutMs ?? 10_000,
  ): Promise<T> => {
    const headers: Record<string, string> = { authorization: `Bearer ${await o.token()}` };
    if (meta) Object.assign(headers, { "x-request-id": meta.requestId, traceparent: meta.traceparent });
    if (body !== undefined) headers["content-type"] = "application/json";
    let res;
    try {
      res = await request(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
    } catch (err) {
      throw new LabError("unavailable", `${method} ${url} failed: ${(err as Error).message}`);
    }
    const text = await res.body.text();
    // A 5xx is the target not answering (worth another try), a 4xx the lab refusing the step.
    if (res.statusCode >= 300) {
      const code = res.statusCode === 404 ? "not_found" : res.statusCode >= 500 ? "unavailable" : "unprocessable";
      throw new LabError(code, `${method} ${url} answered ${res.statusCode}: ${text.slice(0, 300)}`);
    }
    return (text ? JSON.parse(text) : null) as T;
  };
}

export function httpLabEffects(o: HttpLabEffectsOptions): LabEffects {
  const call = labCaller(o);
  const sup = (path: string) => `${o.supervisorUrl}${path}`;

  return {
    async apply(action, deadlineSeconds, meta) {
      switch (action.type) {
        case "set-faults":
          await call("PUT", sup(`/_lab/faults/${action.service}`), { rules: action.rules.map((r) => ({ ...r, durationSeconds: deadlineSeconds })) }, meta);
          return { target: action.service };
        case "set-event-faults":
          await call("PUT", sup("/_lab/faults/projector"), { ...action.faults, durationSeconds: deadlineSeconds }, meta);
          return { target: "projector" };
        case "kill-process":
          await call("POST", sup(`/_lab/processes/${action.process}/kill`), { signal: "SIGKILL" }, meta);
          return { target: action.process };
        case "pause-process":
          await call("POST", sup(`/_lab/processes/${action.process}/pause`), { deadlineSeconds }, meta);
          return { target: action.process };
        case "crash-loop-process":
          await call("PUT", sup(`/_lab/processes/${action.process}/crash-loop`), { crashAfterSeconds: action.crashAfterSeconds, deadlineSeconds }, meta);
          return { target: action.process };
        case "lock-shard":
          await call("PUT", sup(`/_lab/shards/${action.shard}/write-lock`), { deadlineSeconds }, meta);
          return { target: `shard-${action.shard}` };
        case "start-traffic": {
          const now = await call<{ running: { profile: string; durationSeconds: number; elapsedSeconds: number } | null }>(
            "GET",
            `${o.simulatorUrl}/_lab/traffic`,
          );
          // The spike ends by itself at the deadline even if nobody restores the usual traffic.
          await call("PUT", `${o.simulatorUrl}/_lab/traffic`, { profile: action.profile, durationSeconds: deadlineSeconds }, meta);
          const previous = now.running && {
            profile: now.running.profile,
            remainingSeconds: Math.max(1, Math.round(now.running.durationSeconds - now.running.elapsedSeconds)),
          };
          return { target: `simulator (${action.profile})`, previous };
        }
      }
    },

    async revert(action, applied, meta) {
      switch (action.type) {
        case "set-faults":
          await call("DELETE", sup(`/_lab/faults/${action.service}`), undefined, meta);
          return;
        case "set-event-faults":
          await call("DELETE", sup("/_lab/faults/projector"), undefined, meta);
          return;
        case "kill-process": {
          // The restart policy brings a killed process back; a revert makes sure it did not give up.
          const status = await call<{ processes: { name: string; state: string }[] }>("GET", sup("/_lab/processes"));
          const state = status.processes.find((p) => p.name === action.process)?.state;
          if (state === "failed" || state === "stopped") await call("POST", sup(`/_lab/processes/${action.process}/restart`), undefined, meta);
          return;
        }
        case "pause-process":
          await call("POST", sup(`/_lab/processes/${action.process}/resume`), undefined, meta);
          return;
        case "crash-loop-process":
          await call("DELETE", sup(`/_lab/processes/${action.process}/crash-loop`), undefined, meta);
          return;
        case "lock-shard":
          await call("DELETE", sup(`/_lab/shards/${action.shard}/write-lock`), undefined, meta);
          return;
        case "start-traffic":
          // The traffic the spike replaced comes back for the time it had left.
          if (applied.previous)
            await call(
              "PUT",
              `${o.simulatorUrl}/_lab/traffic`,
              { profile: applied.previous.profile, durationSeconds: applied.previous.remainingSeconds },
              meta,
            );
          else await call("DELETE", `${o.simulatorUrl}/_lab/traffic`, undefined, meta);
          return;
      }
    },

    async emergencyStop(meta) {
      await call("POST", sup("/_lab/emergency-stop"), undefined, meta);
    },

    async processes() {
      const status = await call<{ processes: { name: string; pid: number | null; state: string }[] }>("GET", sup("/_lab/processes"));
      return status.processes.map((p) => ({ name: p.name, pid: p.pid, state: p.state }));
    },

    async sloReport(timeoutMs) {
      return call<SloReport>("GET", `${o.gatewayUrl}/_lab/slos`, undefined, undefined, timeoutMs);
    },
  };
}
