import { describe, expect, it } from 'vitest';
import { bucketWidth, imagePath, sizeSvg } from '../../src/lib/images.ts';

describe('image sizing', () => {
  it('rounds a wanted width up to a kept size, capped at the largest', () => {
    expect(bucketWidth(1)).toBe(160);
    expect(bucketWidth(161)).toBe(240);
    expect(bucketWidth(640)).toBe(640);
    expect(bucketWidth(10_000)).toBe(1920);
  });

  it('names the size in the URL only when there is one', () => {
    expect(imagePath('KIT-0001')).toBe('/m/v1/images/KIT-0001');
    expect(imagePath('KIT-0001', 480)).toBe('/m/v1/images/KIT-0001?w=480');
  });

  it('gives an SVG the asked width and the height of its aspect ratio', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" viewBox="0 0 400 300"><rect width="400" height="300"/></svg>';
    const sized = sizeSvg(svg, 640);
    expect(sized).toMatch(/^<svg width="640" height="480" xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 400 300">/);
    // Only the root element changes.
    expect(sized).toContain('<rect width="400" height="300"/>');
  });

  it('keeps the drawing whole when the SVG has no viewBox', () => {
    const sized = sizeSvg('<svg width="200" height="100"><circle r="5"/></svg>', 320);
    expect(sized).toBe('<svg width="320" height="160" viewBox="0 0 200 100"><circle r="5"/></svg>');
  });
});
