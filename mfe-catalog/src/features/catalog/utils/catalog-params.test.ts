import { describe, expect, it } from 'vitest';
import { defaultCatalogParams, pageCount, parseCatalogParams, toSearchParams } from './catalog-params.ts';

describe('catalog URL params', () => {
  it('reads what the URL says', () => {
    expect(parseCatalogParams(new URLSearchParams('query=kettle&category=kitchen&sort=price-desc&page=3'))).toEqual({
      query: 'kettle',
      category: 'kitchen',
      sort: 'price-desc',
      page: 3,
    });
  });

  it('falls back to defaults for missing or bad values', () => {
    expect(parseCatalogParams(new URLSearchParams(''))).toEqual(defaultCatalogParams);
    expect(parseCatalogParams(new URLSearchParams('sort=cheapest&page=-2'))).toEqual(defaultCatalogParams);
    expect(parseCatalogParams(new URLSearchParams('page=abc')).page).toBe(1);
    expect(parseCatalogParams(new URLSearchParams('page=99999')).page).toBe(1000);
    expect(parseCatalogParams(new URLSearchParams(`query=${'x'.repeat(150)}`)).query).toHaveLength(100);
  });

  it('writes only non-default values and round-trips', () => {
    expect(toSearchParams(defaultCatalogParams).toString()).toBe('');
    const params = { query: 'mug set', category: 'kitchen', sort: 'name' as const, page: 2 };
    expect(parseCatalogParams(toSearchParams(params))).toEqual(params);
  });

  it('counts pages', () => {
    expect(pageCount(0, 12)).toBe(1);
    expect(pageCount(12, 12)).toBe(1);
    expect(pageCount(13, 12)).toBe(2);
  });
});
