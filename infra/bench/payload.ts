import { brotliCompressSync } from 'node:zlib';

/** The ratio bff-mobile's lean list keeps under (bytes per product, the whole answer over its products). */
export const MOBILE_PAYLOAD_LIMIT = 0.6;

export interface PayloadRow {
  page: string;
  products: number;
  web: number;
  mobile: number;
  /** mobile bytes per product over web bytes per product. */
  ratio: number;
  webBrotli: number;
  mobileBrotli: number;
  sameProducts: boolean;
}

interface Sized {
  raw: number;
  br: number;
  skus: string[];
  body: unknown;
}

async function get(url: string, items: (body: unknown) => { sku: string }[]): Promise<Sized> {
  const res = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  const body = JSON.parse(bytes.toString('utf8')) as unknown;
  return { raw: bytes.length, br: brotliCompressSync(bytes).length, skus: items(body).map((i) => i.sku), body };
}

/**
 * The bytes of the same catalog pages from bff-web (`/api/catalog`) and bff-mobile (`/m/v1/products`).
 * Throws if either answers non-2xx or bff-web lists no products.
 */
export async function comparePayloads(bffWeb: string, bffMobile: string, pageSize = 20): Promise<PayloadRow[]> {
  const pages: { name: string; web: string; mobile: (cursor?: string) => string }[] = [
    { name: 'first page', web: `page=1&pageSize=${pageSize}`, mobile: () => `limit=${pageSize}` },
    { name: 'second page', web: `page=2&pageSize=${pageSize}`, mobile: (cursor) => `limit=${pageSize}&cursor=${cursor}` },
    { name: 'search "lamp"', web: `query=lamp&pageSize=${pageSize}`, mobile: () => `query=lamp&limit=${pageSize}` },
    { name: 'category audio', web: `category=audio&pageSize=${pageSize}`, mobile: () => `category=audio&limit=${pageSize}` },
  ];
  const rows: PayloadRow[] = [];
  let cursor: string | undefined;
  for (const page of pages) {
    const web = await get(`${bffWeb}/api/catalog?${page.web}`, (b) => (b as { products: { sku: string }[] }).products);
    const mob = await get(`${bffMobile}/m/v1/products?${page.mobile(cursor)}`, (b) => (b as { items: { sku: string }[] }).items);
    if (page.name === 'first page') cursor = (mob.body as { nextCursor: string }).nextCursor;
    if (web.skus.length === 0) throw new Error(`bff-web answered no products for ${page.name}: ${JSON.stringify(web.body).slice(0, 300)}`);
    rows.push({
      page: page.name,
      products: web.skus.length,
      web: web.raw,
      mobile: mob.raw,
      ratio: mob.raw / (mob.skus.length || 1) / (web.raw / web.skus.length),
      webBrotli: web.br,
      mobileBrotli: mob.br,
      sameProducts: web.skus.join() === mob.skus.join(),
    });
  }
  return rows;
}
