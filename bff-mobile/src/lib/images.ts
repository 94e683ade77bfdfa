import type { FastifyRequest } from 'fastify';

/** Where apps fetch product pictures: bff-mobile's own image route. */
export const IMAGE_PATH_PREFIX = '/m/v1/images/';

/** Widths (device pixels) pictures are served at: few enough that each is cached well, close enough that none wastes much. */
export const IMAGE_WIDTHS = [160, 240, 320, 480, 640, 960, 1280, 1920] as const;

/** CSS pixels a picture takes when the app does not say: a tile in a two-column grid, the full width on a detail screen. */
export const DEFAULT_CSS_WIDTH = { tile: 160, detail: 360 } as const;

/** Client hints that change the picture we point to, hence the answer: they go in `Vary`. */
export const SIZE_HINT_HEADERS = ['sec-ch-dpr', 'dpr', 'sec-ch-viewport-width', 'viewport-width'] as const;

/** The smallest kept width at least `pixels` wide (the largest for anything bigger). */
export function bucketWidth(pixels: number): number {
  return IMAGE_WIDTHS.find((w) => w >= pixels) ?? IMAGE_WIDTHS[IMAGE_WIDTHS.length - 1]!;
}

export const imagePath = (sku: string, width?: number) => `${IMAGE_PATH_PREFIX}${sku}${width ? `?w=${width}` : ''}`;

function numericHeader(req: FastifyRequest, names: readonly string[], min: number, max: number): number | undefined {
  for (const name of names) {
    const raw = req.headers[name];
    const value = Number(Array.isArray(raw) ? raw[0] : raw);
    if (raw !== undefined && Number.isFinite(value) && value >= min && value <= max) return value;
  }
  return undefined;
}

export const dprHint = (req: FastifyRequest) => numericHeader(req, ['sec-ch-dpr', 'dpr'], 1, 4);
const viewportHint = (req: FastifyRequest) => numericHeader(req, ['sec-ch-viewport-width', 'viewport-width'], 16, 4096);

/**
 * The width (device pixels) of a product's picture on its detail screen, from `width`/`dpr` query
 * parameters or else the `DPR` and `Viewport-Width` hints; undefined when the app told nothing (the
 * image route then sizes by the hints on the image request itself).
 */
export function detailImageWidth(req: FastifyRequest, query: { width?: number; dpr?: number } = {}): number | undefined {
  const dpr = query.dpr ?? dprHint(req);
  const cssWidth = query.width ?? viewportHint(req);
  if (dpr === undefined && cssWidth === undefined) return undefined;
  return bucketWidth((cssWidth ?? DEFAULT_CSS_WIDTH.detail) * (dpr ?? 1));
}

/**
 * Gives an SVG the intrinsic size asked for: `width` in pixels and the height that keeps its aspect
 * (from the viewBox, else from its own width and height). Vector art stays sharp at any size; what
 * changes is the size a phone lays it out and rasterises it at.
 */
export function sizeSvg(svg: string, width: number): string {
  const open = /<svg\b[^>]*>/i.exec(svg);
  if (!open) return svg;
  const tag = open[0];
  const attr = (name: string) => new RegExp(`\\s${name}\\s*=\\s*(["'])(.*?)\\1`, 'i').exec(tag)?.[2];
  const box = attr('viewBox')?.trim().split(/[\s,]+/).map(Number);
  let ratio = box && box.length === 4 && box[2]! > 0 ? box[3]! / box[2]! : undefined;
  if (ratio === undefined) {
    const w = Number.parseFloat(attr('width') ?? '');
    const h = Number.parseFloat(attr('height') ?? '');
    ratio = w > 0 && h > 0 ? h / w : 1;
  }
  const height = Math.round(width * ratio);
  let sized = tag.replace(/\s(width|height)\s*=\s*(["']).*?\2/gi, '');
  // Without a viewBox the drawing would be cropped rather than scaled: keep its own coordinate system.
  if (!box) {
    const w = Number.parseFloat(attr('width') ?? '');
    const h = Number.parseFloat(attr('height') ?? '');
    if (w > 0 && h > 0) sized = sized.replace(/^<svg\b/i, `<svg viewBox="0 0 ${w} ${h}"`);
  }
  sized = sized.replace(/^<svg\b/i, `<svg width="${width}" height="${height}"`);
  return svg.slice(0, open.index) + sized + svg.slice(open.index + tag.length);
}
