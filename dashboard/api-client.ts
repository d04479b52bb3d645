/**
 * The dashboard's client of the real REST API: every call sends the signed-in key as
 * `Authorization: Bearer`, to this page's own origin. A refusal becomes an ApiError with the
 * server's code, message and zod issues, which panels show as they are.
 */
export interface ApiIssue {
  path: (string | number)[];
  message: string;
  params?: Record<string, unknown>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: ApiIssue[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export class ApiClient {
  constructor(readonly key: string) {}

  get<T>(path: string, query: Record<string, string | undefined> = {}): Promise<T> {
    const search = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
    return this.send<T>('GET', search.size ? `${path}?${search}` : path);
  }

  async send<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
    busy(+1);
    try {
      return await this.request<T>(method, path, body);
    } finally {
      busy(-1);
    }
  }

  private async request<T>(method: string, path: string, body: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.key}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const parsed: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const error = (parsed as { error?: { code?: string; message?: string; issues?: ApiIssue[] } } | undefined)?.error;
      throw new ApiError(response.status, error?.code ?? 'internal', error?.message ?? `${method} ${path} answered ${response.status}`, error?.issues ?? []);
    }
    return parsed as T;
  }
}

/** Requests in flight, on `<body data-busy>`: whoever waits for the page to settle (a test, a screenshot) reads it. */
let inFlight = 0;
function busy(change: 1 | -1): void {
  inFlight += change;
  document.body.dataset.busy = String(inFlight);
}

/** What an error says to a person: the message, then each issue's path and message. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  const issues = error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  return [`${error.status} ${error.code}: ${error.message}`, ...issues].join(' — ');
}
