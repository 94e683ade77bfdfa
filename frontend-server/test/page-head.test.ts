import { describe, expect, it } from 'vitest';
import { jsonForScript, renderPage } from '../src/page-head.ts';

const built = `<!doctype html><html><head><meta charset="UTF-8" /><meta name="description" content="old" /><title>Shop</title><script type="module" src="/assets/app.js"></script></head><body><div id="root"></div></body></html>`;

/** The text of the data block `id` in `html`, parsed as the browser's JSON.parse would. */
function dataBlock(html: string, id: string): unknown {
  const match = new RegExp(`<script type="application/json" id="${id}">([^<]*)</script>`).exec(html);
  if (!match?.[1]) throw new Error(`no data block ${id}`);
  return JSON.parse(match[1]);
}

describe('jsonForScript', () => {
  it('cannot close or bend the script element it sits in, and parses back to the same value', () => {
    const value = { name: '</script><script>alert(1)</script>', note: '<!-- & \u2028' };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('renderPage', () => {
  it('writes title, description, preloads and data blocks into the head, after the page’s own script', () => {
    const html = renderPage(built, {
      title: 'Kettle <2 L> — Shop',
      description: 'A "quick" kettle',
      data: { 'page-data': { '/api/products/K-1': { name: '</script>' } } },
      modules: ['http://cdn.example/remoteEntry.js'],
      fetches: ['http://cdn.example/mf-manifest.json'],
      stylesheets: ['http://cdn.example/a.css'],
      lcpImage: '/api/images/K-1.svg',
      preconnects: ['http://cdn.example'],
    });
    expect(html).toContain('<title>Kettle &lt;2 L&gt; — Shop</title>');
    expect(html).toContain('<link rel="preconnect" href="http://cdn.example" crossorigin>');
    expect(html.indexOf('rel="preconnect"')).toBeLessThan(html.indexOf('rel="modulepreload"'));
    expect(html.match(/name="description"/g)).toHaveLength(1);
    expect(html).toContain('<meta name="description" content="A &quot;quick&quot; kettle">');
    expect(html).toContain('<link rel="modulepreload" href="http://cdn.example/remoteEntry.js" crossorigin>');
    expect(html).toContain('<link rel="preload" as="fetch" href="http://cdn.example/mf-manifest.json" crossorigin>');
    expect(html).toContain('<link rel="preload" as="style" href="http://cdn.example/a.css" crossorigin>');
    expect(html).toContain('<link rel="preload" as="image" href="/api/images/K-1.svg" fetchpriority="high">');
    expect(dataBlock(html, 'page-data')).toEqual({ '/api/products/K-1': { name: '</script>' } });
    // Only data: no script the browser would run, so a CSP without inline scripts holds.
    expect(html.match(/<script(?![^>]*type="application\/json")[^>]*>/g)).toEqual(['<script type="module" src="/assets/app.js">']);
    expect(html.indexOf('/assets/app.js')).toBeLessThan(html.indexOf('remoteEntry.js'));
    expect(html.indexOf('remoteEntry.js')).toBeLessThan(html.indexOf('</head>'));
  });

  it('leaves the page as built when there is nothing to add', () => {
    expect(renderPage(built, {})).toBe(built);
  });

  it('puts the server-rendered root in the empty root element, its stylesheets blocking the paint', () => {
    const page = '<html><head><title>Shop</title><script type="module" src="/assets/app.js"></script></head><body><div id="root"></div></body></html>';
    const root = '<div class="app"><main><section>Kettle $&amp; $1</section></main></div>';
    const html = renderPage(page, { root, blockingStylesheets: ['http://cdn.example/catalog.css'], lcpImage: '/api/images/K-1.svg', modules: ['/m.js'] });
    // Verbatim, `$&` and `$1` included (no replacement patterns).
    expect(html).toContain(`<div id="root">${root}</div>`);
    expect(html).toContain('<link rel="stylesheet" href="http://cdn.example/catalog.css" crossorigin>');
    // What the first paint waits on is asked for before any script: six connections per server go to it first.
    expect(html.indexOf('catalog.css')).toBeLessThan(html.indexOf('<script'));
    expect(html.indexOf('K-1.svg')).toBeLessThan(html.indexOf('<script'));
    expect(html.indexOf('K-1.svg')).toBeLessThan(html.indexOf('/m.js'));
    // The page paints without its scripts: they come after what it paints with.
    expect(html).toContain('<script type="module" fetchpriority="low" src="/assets/app.js">');
    expect(html).toContain('<link rel="modulepreload" fetchpriority="low" href="/m.js" crossorigin>');
    // A page rendered in the browser needs its scripts first.
    expect(renderPage(page, { modules: ['/m.js'] })).toContain('<link rel="modulepreload" href="/m.js" crossorigin>');
    expect(renderPage(page, { modules: ['/m.js'] })).not.toContain('fetchpriority="low"');
  });
});
