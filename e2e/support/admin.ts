/** The operators' admin APIs (ARCHITECTURE.md), used to change the shop under a test's feet. */

const INVENTORY = process.env.INVENTORY_URL ?? 'http://localhost:7102';
const CATALOG = process.env.CATALOG_URL ?? 'http://localhost:7101';

async function send(url: string, method: string, body?: unknown) {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
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
