// RFC 9457 problem bodies, made in one place for every server of the lab (Fastify services, the portal's
// routes) and read back in one place by its clients. A 4xx names the field at fault; a 500 says nothing but
// the request id, so no internal detail leaks. (Which failure makes which problem: ./problem-of.ts.)
import { LAB_ERROR_STATUS, LabError, type LabErrorCode } from "./index.ts";

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  field?: string;
  requestId?: string;
}

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Unauthenticated",
  403: "Forbidden",
  404: "Not found",
  409: "Conflict",
  413: "Payload too large",
  415: "Unsupported media type",
  422: "Unprocessable request",
  428: "Precondition required",
  429: "Too many requests",
  500: "Internal error",
  502: "Bad gateway",
  503: "Unavailable",
  504: "Gateway timeout",
};

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export const UNEXPECTED_DETAIL = "the lab hit an unexpected error; quote the request id when reporting it";

export function problemBody(status: number, detail: string, field?: string): Problem {
  return { type: `https://pim-sre.lab/problems/${status}`, title: TITLES[status] ?? "Error", status, detail, ...(field ? { field } : {}) };
}

const CODE_OF_STATUS = new Map<number, LabErrorCode>(
  (Object.entries(LAB_ERROR_STATUS) as [LabErrorCode, number][])
    .filter(([code]) => code !== "injected" && code !== "setup")
    .map(([code, status]) => [status, code]),
);

/** A lab process's answer (status and problem body, or whatever it sent) as the LabError it stands for. */
export function labErrorFromProblem(status: number, body: unknown, processName: string): LabError {
  const p = (typeof body === "object" && body !== null ? body : {}) as Partial<Problem>;
  const code = CODE_OF_STATUS.get(status) ?? (status < 500 ? "invalid" : "internal");
  const detail = typeof p.detail === "string" && p.detail ? p.detail : `the ${processName} answered ${status}`;
  return new LabError(code, detail, {
    field: typeof p.field === "string" ? p.field : undefined,
    requestId: typeof p.requestId === "string" ? p.requestId : undefined,
  });
}
