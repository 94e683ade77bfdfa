import type { ApiError, FormError } from '@shop/contracts/api/errors';
import type { Session } from '@shop/contracts/api/web';
import { config } from '../config/app.ts';

/** A non-2xx answer from bff-web, with its JSON error code, message and (for forms) per-field messages. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
    /** `FormError.fields`: field path (`shippingAddress/postalCode`) → what is wrong with it. */
    readonly fields: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

export const isNotFound = (error: unknown): boolean => error instanceof ApiRequestError && error.status === 404;

export const isSignInRequired = (error: unknown): boolean => error instanceof ApiRequestError && error.status === 401;

/** A 4xx is an answer: asking again with the same request cannot change it. Network errors and 5xx may pass. */
export const isRetryable = (error: unknown): boolean => !(error instanceof ApiRequestError && error.status < 500);

export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_TOKEN_INVALID = 'WEB_CSRF_TOKEN_INVALID';

type Method = 'POST' | 'PUT' | 'DELETE';

export interface RequestOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

export interface ApiClient {
  get<T>(path: string, options?: RequestOptions): Promise<T>;
  /** State-changing call: sends the session's CSRF token, and on a stale token refreshes it and retries once. */
  send<T>(method: Method, path: string, body?: unknown, options?: RequestOptions): Promise<T>;
  /** `GET /session`; the answer's CSRF token is used by the next `send`. */
  session(): Promise<Session>;
  /** Keeps the CSRF token of a session another call returned (sign-in, register, sign-out). */
  remember(session: Session): void;
  /** Drops the token (the session changed elsewhere on the page); the next `send` fetches the session first. */
  forget(): void;
}

async function errorFrom(response: Response): Promise<ApiRequestError> {
  const body = (await response.json().catch(() => undefined)) as Partial<ApiError & FormError> | undefined;
  const fields = body?.fields && typeof body.fields === 'object' ? body.fields : {};
  return new ApiRequestError(response.status, body?.code, body?.message ?? `Request failed (${response.status})`, fields);
}

async function parse<T>(response: Response): Promise<T> {
  if (!response.ok) throw await errorFrom(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** The fragment's one way to call its BFF. `fetchFn` is replaceable for tests. */
export function createApiClient(base: string, fetchFn: typeof fetch = (...args) => globalThis.fetch(...args)): ApiClient {
  // One pending session request at a time: concurrent first writes share it.
  let csrfToken: Promise<string> | undefined;

  const request = (method: 'GET' | Method, path: string, options: RequestOptions, body?: unknown) =>
    fetchFn(`${base}${path}`, {
      method,
      credentials: 'same-origin',
      signal: options.signal,
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  const currentToken = (): Promise<string> => {
    if (!csrfToken) void client.session().catch(() => undefined); // session() sets csrfToken
    return csrfToken as Promise<string>;
  };

  const client: ApiClient = {
    get: async (path, options = {}) => parse(await request('GET', path, options)),

    session() {
      // Not cancellable: a write may be waiting for this token even if the query that asked is gone.
      const pending = request('GET', '/session', {}).then((response) => parse<Session>(response));
      const token = pending.then((session) => session.csrfToken);
      csrfToken = token;
      // A failed session fetch must not poison later writes.
      token.catch(() => {
        if (csrfToken === token) csrfToken = undefined;
      });
      return pending;
    },

    remember(session) {
      csrfToken = Promise.resolve(session.csrfToken);
    },

    forget() {
      csrfToken = undefined;
    },

    async send(method, path, body, options = {}) {
      const attempt = async () => {
        const token = await currentToken();
        return request(method, path, { ...options, headers: { ...options.headers, [CSRF_HEADER]: token } }, body);
      };
      let response = await attempt();
      if (response.status === 403) {
        const error = await errorFrom(response.clone());
        if (error.code === CSRF_TOKEN_INVALID) {
          // The session was renewed (another tab signed in or out, or it expired): fetch its token, try once more.
          csrfToken = undefined;
          response = await attempt();
        }
      }
      return parse(response);
    },
  };
  return client;
}

export const api = createApiClient(config.apiBase);
