import { describe, expect, it } from 'vitest';
import { renderToString } from 'react-dom/server';
import type { WebProduct } from '@shop/contracts/api/web';
import { Price } from './price.tsx';

const text = (html: string) => html.replace(/<[^>]+>/g, '');

describe('Price', () => {
  it("shows bff-web's display text as it is", () => {
    expect(text(renderToString(<Price price={{ amount: 1299, currency: 'EUR', version: 1, formatted: 'twelve ninety-nine' }} />))).toBe('twelve ninety-nine');
  });

  it('formats the price itself when the answer carries no text (a bff-web from before price.formatted)', () => {
    const older = { amount: 123456, currency: 'EUR', version: 1 } as unknown as WebProduct['price'];
    expect(text(renderToString(<Price price={older} />))).toBe('€1,234.56');
  });
});
