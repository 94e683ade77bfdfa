import { ApiRequestError } from './api-client.ts';

/** What to tell the shopper about a failed call: the server's own words, or that it could not be reached. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiRequestError) return error.message;
  return 'The shop could not be reached. Check your connection and try again.';
}
