// The one error type for expected failures. Each code carries its HTTP status; servers turn a LabError into
// an RFC 9457 problem body in one place (./problem.ts), clients rebuild it from one, and command-line tools
// print its message (and its list of problems, when it has one) and exit with code 2.

export const LAB_ERROR_STATUS = {
  invalid: 400, // the input is wrong
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409, // a version changed, a duplicate
  too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  precondition_required: 428,
  rate_limited: 429,
  internal: 500, // a failure the lab did not expect, told as nothing but its request id
  bad_gateway: 502,
  unavailable: 503, // try again later (a bucket moving, a server down)
  timeout: 504,
  injected: 500, // a fault rule's answer: its own status, given with the error
  setup: 500, // the lab cannot start as configured (command-line tools); never an HTTP answer
} as const;

export type LabErrorCode = keyof typeof LAB_ERROR_STATUS;

export interface LabErrorOptions {
  field?: string;
  cause?: unknown;
  /** Each problem found, when there are several (a configuration, a definition file). */
  problems?: readonly string[];
  /** Only for "injected": the status the fault rule answers with. */
  status?: number;
  /** Set when the error was rebuilt from another process's problem body. */
  requestId?: string;
}

export class LabError extends Error {
  override name = "LabError";
  readonly field: string | undefined;
  readonly problems: readonly string[];
  readonly requestId: string | undefined;
  readonly #status: number | undefined;

  constructor(
    readonly code: LabErrorCode,
    message: string,
    options: LabErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.field = options.field;
    this.problems = options.problems ?? [];
    this.requestId = options.requestId;
    this.#status = code === "injected" ? options.status : undefined;
  }

  get status(): number {
    return this.#status ?? LAB_ERROR_STATUS[this.code];
  }
}

/** The message for a list of problems: a heading, then one indented line each. */
export function listedProblems(heading: string, problems: readonly string[]): string {
  return `${heading}:\n${problems.map((p) => `  - ${p}`).join("\n")}`;
}

export function isLabError(err: unknown, code?: LabErrorCode): err is LabError {
  return err instanceof LabError && (code === undefined || err.code === code);
}
