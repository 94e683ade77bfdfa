import type { CatalogPage, ProductDetailPage, WebProduct, WebStock } from '@shop/contracts/api/web';

/**
 * A product as bff-web answers it; `n` picks its sku (`KIT-000n`), name and price. The price's display text is
 * not the fragment's own format (`EUR 11.99`, not `€11.99`), so a test sees which of the two a page shows.
 */
export function product(n: number, stock: WebStock | null = { available: 20, status: 'in_stock', version: 1 }): WebProduct {
  const sku = `KIT-${String(n).padStart(4, '0')}`;
  return {
    sku,
    name: `Chef's knife no. ${n}`,
    description: `A sharp knife, the ${n}th of its kind.`,
    category: 'kitchen',
    image: `/api/images/${sku}.svg`,
    price: { amount: 1000 + n * 100 + 99, currency: 'EUR', version: 1, formatted: `EUR ${10 + n}.99` },
    stock,
  };
}

/** bff-web's `GET /api/catalog` answer: 12 products of 30, the 2nd low on stock, the 3rd sold out, the 4th unknown. */
export function catalogAnswer(): CatalogPage {
  const products = Array.from({ length: 12 }, (_, i) => product(i + 1));
  products[1] = product(2, { available: 3, status: 'low', version: 4 });
  products[2] = product(3, { available: 0, status: 'out', version: 7 });
  products[3] = product(4, null);
  return {
    products,
    categories: [
      { slug: 'kitchen', name: 'Kitchen', count: 30 },
      { slug: 'garden', name: 'Garden', count: 4 },
    ],
    page: 1,
    pageSize: 12,
    total: 30,
    degraded: [],
  };
}

/** bff-web's `GET /api/products/{sku}` answer. */
export function productAnswer(n = 7): ProductDetailPage {
  return { product: product(n), degraded: [] };
}

/** The key the catalog page's first request has at `/` (see first-request.ts). */
export const CATALOG_KEY = '/api/catalog?sort=relevance&page=1&pageSize=12';
