import type { ApiError } from '@shop/contracts/api/errors';
import { config } from '../config/app.ts';
import { takePageData } from './page-data.ts';

/** A non-2xx answer from bff-web, carrying its JSON error code and message when it sent one. */
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

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiRequestError && error.status === 404;
}

/** The URL the fragment asks bff-web for `request` (from first-request.ts): the key of its inlined answer too. */
export function apiUrl(request: string): string {
  return `${config.apiBase}${request}`;
}

/**
 * The answer the shell's server inlined for `request`, read synchronously (a query's `initialData`, so
 * the first render already shows it); taken, so it is used once. Undefined when there is none.
 */
export function takeInlined<T>(request: string): T | undefined {
  return takePageData(apiUrl(request)) as T | undefined;
}

/**
 * The fragment's one way to call its BFF: `GET <apiBase><request>` (request from first-request.ts).
 * The page's first request is answered from the data the shell's server inlined, when it did.
 * Rejects with ApiRequestError on a non-2xx answer.
 */
export async function apiGet<T>(request: string, options: { signal?: AbortSignal } = {}): Promise<T> {
  const url = apiUrl(request);
  const inlined = takePageData(url);
  if (inlined !== undefined) return inlined as T;
  const response = await fetch(url, {
    headers: { accept: 'application/json' },
    credentials: 'same-origin',
    signal: options.signal,
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => undefined)) as Partial<ApiError> | undefined;
    throw new ApiRequestError(response.status, body?.code, body?.message ?? `Request failed (${response.status})`);
  }
  return (await response.json()) as T;
}
