import { afterEach, describe, expect, it } from 'vitest';
import { resetPageData, takePageData } from './page-data.ts';

/** Just enough of a document for the data block. */
const documentWith = (text: string | undefined) => ({ getElementById: () => (text === undefined ? null : { textContent: text }) }) as unknown as Document;

afterEach(() => resetPageData());

describe('takePageData', () => {
  it('gives an inlined answer once, to the request for its URL only', () => {
    const doc = documentWith(JSON.stringify({ '/api/catalog?page=1': { products: [] } }));
    expect(takePageData('/api/catalog?page=2', doc)).toBeUndefined();
    expect(takePageData('/api/catalog?page=1', doc)).toEqual({ products: [] });
    expect(takePageData('/api/catalog?page=1', doc)).toBeUndefined();
  });

  it('treats a missing or broken block as no data', () => {
    expect(takePageData('/api/catalog', documentWith(undefined))).toBeUndefined();
    resetPageData();
    expect(takePageData('/api/catalog', documentWith('{not json'))).toBeUndefined();
    resetPageData();
    expect(takePageData('/api/catalog', documentWith('[1]'))).toBeUndefined();
  });
});
