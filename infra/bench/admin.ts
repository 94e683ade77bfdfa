import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../src/parts.ts';

/** Where `npm start` leaves an operator's token for admin routes (once it writes one). */
const TOKEN_FILE = path.join(repoRoot, '.cache', 'operator-token');

/**
 * The bench's one way to call an admin route (PUT /stock, …): JSON in, the Response out, with the
 * operator's bearer token when `npm start` wrote one. Throws on a network failure only.
 */
export async function adminRequest(method: 'GET' | 'PUT', url: string, body?: unknown): Promise<Response> {
  const token = existsSync(TOKEN_FILE) ? readFileSync(TOKEN_FILE, 'utf8').trim() : '';
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  return fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}
