// The supervisor's fault switches go to the process's own switch (a service's PUT/DELETE /_lab/faults, the
// projector's /_lab/events/faults), which checks the caller's token again and audits the switch: the
// caller's token, request id and trace go along, and the answer comes back, a refusal as the same status
// naming the same field. The projector's one setting is reported as one rule named "events".
import { LabError, type LabErrorCode } from "../errors/index.ts";
import type { LabProcessSpec } from "./lab-processes.ts";

export interface ServiceFaults {
  service: string;
  rules: { id: string; durationSeconds: number; expiresAt: string }[];
}

export interface ForwardedSwitch {
  method: "PUT" | "DELETE";
  authorization: string;
  body?: unknown;
  requestId?: string | null;
  traceparent?: string | null;
  timeoutMs?: number;
}

const CODES: Record<number, LabErrorCode> = {
  400: "invalid",
  401: "unauthenticated",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  422: "unprocessable",
  429: "rate_limited",
};

export async function forwardFaultSwitch(spec: LabProcessSpec, request: ForwardedSwitch): Promise<ServiceFaults> {
  const timeoutMs = request.timeoutMs ?? 3000;
  let res: Response;
  try {
    res = await fetch(`http://127.0.0.1:${spec.port}${spec.faultSwitch === "events" ? "/_lab/events/faults" : "/_lab/faults"}`, {
      method: request.method,
      headers: {
        authorization: request.authorization,
        ...(request.body !== undefined ? { "content-type": "application/json" } : {}),
        ...(request.requestId ? { "x-request-id": request.requestId } : {}),
        ...(request.traceparent ? { traceparent: request.traceparent } : {}),
      },
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const why = (err as Error).name === "TimeoutError" ? `did not answer within ${timeoutMs / 1000} s (paused?)` : "is not answering (down or restarting?)";
    throw new LabError("unavailable", `${spec.name} ${why}; its faults were not switched`, { cause: err });
  }
  const body = (await res.json().catch(() => null)) as (ServiceFaults & { faults?: { expiresAt: string } | null; detail?: string; field?: string }) | null;
  if (res.ok && body && Array.isArray(body.rules)) return { service: body.service, rules: body.rules };
  if (res.ok && body && spec.faultSwitch === "events" && "faults" in body) {
    const f = body.faults;
    return {
      service: spec.name,
      rules: f ? [{ id: "events", durationSeconds: Math.max(0, Math.round((Date.parse(f.expiresAt) - Date.now()) / 1000)), expiresAt: f.expiresAt }] : [],
    };
  }
  const code = CODES[res.status] ?? "unavailable";
  throw new LabError(code, `${spec.name}: ${body?.detail ?? `answered ${res.status}`}`, body?.field ? { field: body.field } : {});
}
