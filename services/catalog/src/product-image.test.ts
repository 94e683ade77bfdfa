import { describe, expect, it } from 'vitest';
import { productImageSvg } from './product-image.ts';

describe('productImageSvg', () => {
  const kettle = { sku: 'KIT-0006', name: 'Electric Kettle', category: 'kitchen' };

  it('draws the same picture for the same product, and another for another product', () => {
    expect(productImageSvg(kettle)).toBe(productImageSvg(kettle));
    expect(productImageSvg(kettle)).not.toBe(productImageSvg({ ...kettle, sku: 'KIT-0007' }));
  });

  it('labels the picture with the product name and escapes markup in it', () => {
    const svg = productImageSvg({ ...kettle, name: 'Pots & <Pans>' });
    expect(svg).toContain('aria-label="Pots &amp; &lt;Pans&gt;"');
    expect(svg).not.toContain('<Pans>');
  });
});
