/**
 * One error type with a closed set of codes (as tRPC and Fastify do). Every adapter maps a code to
 * its wire form through the exhaustive table below, so adding a code without an HTTP status fails
 * to compile. Anything thrown that is not a FedrecError is normalised at the edge into `internal`.
 */
export const errorCodes = {
  'invalid-input': { status: 400, doc: 'The request or message failed validation; `issues` lists every problem.' },
  unauthenticated: { status: 401, doc: 'The API key or client token is missing, unknown or revoked.' },
  forbidden: { status: 403, doc: 'The caller may not do this: an API key without a role the route allows, a client updating another job, or an approval that separation of duties forbids.' },
  'not-found': { status: 404, doc: 'The named job, round, model version or item does not exist.' },
  'request-timeout': { status: 408, doc: 'The request’s headers or body did not arrive within the server’s timeout (a slow or stalled client).' },
  conflict: { status: 409, doc: 'The request contradicts current state: a stale, duplicate or replayed update, a job or model version in the wrong state, or a failing promotion gate (`issues` name each gate with its value and threshold).' },
  'payload-too-large': { status: 413, doc: 'A body or message is larger than the configured limit.' },
  'headers-too-large': { status: 431, doc: 'The request line and headers are larger than the server accepts (16 KiB).' },
  'rate-limited': { status: 429, doc: 'Too many requests from this address or credential; `Retry-After` and `RateLimit` say when to try again.' },
  'budget-exhausted': { status: 422, doc: 'The privacy budget would be exceeded by the requested work.' },
  unavailable: { status: 503, doc: 'No model version is being served yet, or the service is shutting down.' },
  internal: { status: 500, doc: 'An unexpected failure; the body reveals no internals, the log has the details.' },
} as const satisfies Record<string, { status: number; doc: string }>;

export type ErrorCode = keyof typeof errorCodes;

/** A validation issue, in the shape zod reports it (path + message), so all boundaries look alike. */
export interface ErrorIssue {
  path: (string | number)[];
  message: string;
  code?: string;
  /** Values the issue is about, for a machine to read (a failed promotion gate's value and threshold). */
  params?: Record<string, string | number | boolean | null>;
}

export class FedrecError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues: ErrorIssue[] = [],
  ) {
    super(message);
    this.name = 'FedrecError';
  }

  get status(): number {
    return errorCodes[this.code].status;
  }

  /** The body every adapter sends: the same for REST responses and rejected socket messages. */
  toJSON(): { error: { code: ErrorCode; message: string; issues?: ErrorIssue[] } } {
    return { error: { code: this.code, message: this.message, ...(this.issues.length ? { issues: this.issues } : {}) } };
  }
}

/** Turns anything thrown into a FedrecError without leaking internals of unexpected failures. */
export function toFedrecError(thrown: unknown): FedrecError {
  if (thrown instanceof FedrecError) return thrown;
  return new FedrecError('internal', 'internal error');
}
