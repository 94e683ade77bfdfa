import { describe, expect, it } from 'vitest';
import { catalogPageRequest, firstRequestFor, productRequest } from './first-request.ts';
import { defaultCatalogParams } from '../features/catalog/utils/catalog-params.ts';

describe('firstRequestFor', () => {
  it('asks for the catalog page the URL shows, exactly as the page itself will', () => {
    expect(firstRequestFor('/', new URLSearchParams())).toBe(catalogPageRequest(defaultCatalogParams));
    expect(firstRequestFor('/', new URLSearchParams('query=kettle&page=2&utm=x'))).toBe(
      '/catalog?query=kettle&sort=relevance&page=2&pageSize=12',
    );
  });

  it('asks for the product a product page shows, its sku encoded once', () => {
    expect(firstRequestFor('/products/KIT-0001', new URLSearchParams())).toBe(productRequest('KIT-0001'));
    expect(firstRequestFor('/products/A%20B', new URLSearchParams())).toBe('/products/A%20B');
  });

  it('asks nothing for pages it does not fill or addresses it cannot read', () => {
    expect(firstRequestFor('/cart', new URLSearchParams())).toBeUndefined();
    expect(firstRequestFor('/products/%E0%A4%A', new URLSearchParams())).toBeUndefined();
  });
});
