import type { ApiError } from '@shop/contracts/api/errors';
import { config } from '../config/app.ts';

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

type QueryValue = string | number | undefined;

export function toQueryString(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The fragment's one way to call its BFF. */
export async function apiGet<T>(
  path: string,
  options: { params?: Record<string, QueryValue>; signal?: AbortSignal } = {},
): Promise<T> {
  const url = `${config.apiBase}${path}${toQueryString(options.params ?? {})}`;
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
