/**
 * Product pictures are drawn here rather than fetched: the shop runs with no internet, and a
 * deterministic SVG per product keeps tiles recognisable. Same product in, same picture out.
 */

const PALETTES: readonly [string, string][] = [
  ['#1d4ed8', '#60a5fa'], ['#047857', '#34d399'], ['#b45309', '#fbbf24'], ['#7c3aed', '#c4b5fd'],
  ['#be123c', '#fda4af'], ['#0f766e', '#5eead4'], ['#374151', '#9ca3af'], ['#c2410c', '#fdba74'],
];

/** A small stable hash (FNV-1a) so a SKU always gets the same colours and shapes. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (const ch of text) h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193) >>> 0;
  return h;
}

const escapeXml = (s: string) =>
  s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

export function productImageSvg(p: { sku: string; name: string; category: string }): string {
  const h = hash(p.sku);
  const [dark, light] = PALETTES[hash(p.category) % PALETTES.length]!;
  const r = 60 + (h % 50);
  const cx = 140 + ((h >>> 8) % 120);
  const cy = 110 + ((h >>> 16) % 60);
  const initials = p.name.split(/\s+/).slice(0, 2).map((w) => w[0]?.toUpperCase() ?? '').join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" viewBox="0 0 400 300" role="img" aria-label="${escapeXml(p.name)}">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${light}"/><stop offset="1" stop-color="${dark}"/></linearGradient></defs>
  <rect width="400" height="300" fill="url(#g)"/>
  <circle cx="${cx}" cy="${cy}" r="${r}" fill="#ffffff" fill-opacity="0.18"/>
  <rect x="${60 + (h % 40)}" y="${170 + ((h >>> 4) % 30)}" width="${120 + ((h >>> 12) % 100)}" height="18" rx="9" fill="#ffffff" fill-opacity="0.25"/>
  <text x="200" y="165" font-family="system-ui, sans-serif" font-size="84" font-weight="700" fill="#ffffff" text-anchor="middle">${escapeXml(initials)}</text>
  <text x="200" y="270" font-family="system-ui, sans-serif" font-size="20" fill="#ffffff" text-anchor="middle">${escapeXml(p.name)}</text>
</svg>`;
}
