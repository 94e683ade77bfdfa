/** The operators' admin APIs (ARCHITECTURE.md), used to change the shop under a test's feet, with the operator token. */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const TOKEN_FILE = process.env.OPERATOR_TOKEN_FILE ?? fileURLToPath(new URL('../../.cache/operator-token', import.meta.url));
const INVENTORY = process.env.INVENTORY_URL ?? 'http://localhost:7102';
const CATALOG = process.env.CATALOG_URL ?? 'http://localhost:7101';

/** The operator token `npm start` (the suite's webServer) wrote; read on each call, as each start writes a new one. */
const operatorToken = () => {
  try {
    return readFileSync(TOKEN_FILE, 'utf8').trim();
  } catch {
    throw new Error(`no operator token at ${TOKEN_FILE}: the admin APIs need the one \`npm start\` writes`);
  }
};

async function send(url: string, method: string, body?: unknown) {
  const res = await fetch(url, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(method === 'GET' ? {} : { authorization: `Bearer ${operatorToken()}` }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${url} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

export const getStock = (sku: string): Promise<{ available: number }> => send(`${INVENTORY}/stock/${sku}`, 'GET');
export const setStock = (sku: string, available: number) => send(`${INVENTORY}/stock/${sku}`, 'PUT', { available });

export const getProduct = (sku: string): Promise<{ price: { amount: number; currency: string } }> =>
  send(`${CATALOG}/products/${sku}`, 'GET');
export const setPrice = (sku: string, amount: number) =>
  send(`${CATALOG}/products/${sku}/price`, 'PUT', { amount, currency: 'EUR' });
