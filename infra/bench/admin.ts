import { existsSync, readFileSync } from 'node:fs';
import { operatorTokenFile } from '../src/operator-token.ts';

/**
 * The bench's one way to call an admin route (PUT /stock, …): JSON in, the Response out, with the
 * operator's bearer token that `npm start` wrote (ARCHITECTURE.md, Admin APIs). Throws on a network failure only.
 */
export async function adminRequest(method: 'GET' | 'PUT', url: string, body?: unknown): Promise<Response> {
  const token = existsSync(operatorTokenFile) ? readFileSync(operatorTokenFile, 'utf8').trim() : '';
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  return fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}
