import type { ApiError } from '@shop/contracts/api/errors';
import type { Session } from '@shop/contracts/api/web';
import { config } from '../config/app.ts';

/** A non-2xx answer from bff-web, with its JSON error code and message. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_TOKEN_INVALID = 'WEB_CSRF_TOKEN_INVALID';

export interface ApiClient {
  get<T>(path: string, signal?: AbortSignal): Promise<T>;
  /** `GET /session`; its CSRF token is what the next `post` sends. */
  session(): Promise<Session>;
  /** Sends the CSRF token; on a stale one (403 `WEB_CSRF_TOKEN_INVALID`) fetches the session and tries once more. */
  post<T>(path: string, body?: unknown): Promise<T>;
  /** The session changed elsewhere on the page: the next `post` fetches a fresh token first. */
  forget(): void;
  /**
   * Fire and forget: POSTs `body` as JSON with `keepalive` (it outlives the page's unload) and no CSRF token,
   * for the one route that takes none (`/fragment-reports`). Never throws; the answer is ignored.
   */
  beacon(path: string, body: unknown): void;
}

async function errorFrom(response: Response): Promise<ApiRequestError> {
  const body = (await response.json().catch(() => undefined)) as Partial<ApiError> | undefined;
  return new ApiRequestError(response.status, body?.code, body?.message ?? `Request failed (${response.status})`);
}

async function parse<T>(response: Response): Promise<T> {
  if (!response.ok) throw await errorFrom(response);
  return (await response.json()) as T;
}

/** The shell's one way to call its BFF (it needs little: the session, and signing out). */
export function createApiClient(base: string, fetchFn: typeof fetch = (...args) => globalThis.fetch(...args)): ApiClient {
  let csrfToken: Promise<string> | undefined;
  const call = (method: 'GET' | 'POST', path: string, init: { body?: unknown; token?: string; signal?: AbortSignal } = {}) =>
    fetchFn(`${base}${path}`, {
      method,
      credentials: 'same-origin',
      signal: init.signal,
      headers: {
        accept: 'application/json',
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(init.token ? { [CSRF_HEADER]: init.token } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  const client: ApiClient = {
    get: async (path, signal) => parse(await call('GET', path, { signal })),
    session() {
      const pending = call('GET', '/session').then((response) => parse<Session>(response));
      const token = pending.then((session) => session.csrfToken);
      csrfToken = token;
      token.catch(() => {
        if (csrfToken === token) csrfToken = undefined;
      });
      return pending;
    },
    async post(path, body) {
      const attempt = async () => {
        if (!csrfToken) void client.session().catch(() => undefined);
        return call('POST', path, { body, token: await (csrfToken as Promise<string>) });
      };
      let response = await attempt();
      if (response.status === 403 && (await errorFrom(response.clone())).code === CSRF_TOKEN_INVALID) {
        csrfToken = undefined;
        response = await attempt();
      }
      return parse(response);
    },
    forget() {
      csrfToken = undefined;
    },
    beacon(path, body) {
      try {
        void fetchFn(`${base}${path}`, {
          method: 'POST',
          credentials: 'same-origin',
          keepalive: true,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }).catch(() => undefined);
      } catch {
        // A report must never break what it reports on (a fetch that throws at once: over the keepalive quota).
      }
    },
  };
  return client;
}

export const api = createApiClient(config.apiBase);
