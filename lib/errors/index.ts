// The one error type for expected failures. Each code carries its HTTP meaning; servers map a LabError to a
// JSON problem body in one place, and command-line tools print its message and exit with code 2.

export type LabErrorCode =
  | "invalid" // 400: the input is wrong
  | "unauthenticated" // 401
  | "forbidden" // 403
  | "not_found" // 404
  | "conflict" // 409: a version changed, a duplicate
  | "unprocessable" // 422
  | "rate_limited" // 429
  | "unavailable" // 503: try again later (a bucket moving, a server down)
  | "setup"; // the lab cannot start as configured (command-line tools)

const STATUS: Record<LabErrorCode, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
  setup: 500,
};

export class LabError extends Error {
  override name = "LabError";
  readonly field: string | undefined;

  constructor(
    readonly code: LabErrorCode,
    message: string,
    options: { field?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.field = options.field;
  }

  get status(): number {
    return STATUS[this.code];
  }
}

export function isLabError(err: unknown, code?: LabErrorCode): err is LabError {
  return err instanceof LabError && (code === undefined || err.code === code);
}
