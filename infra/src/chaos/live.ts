import { chromium, type Browser, type Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { createSocket, createLiveClient, type LiveClient } from '@shop/live-client';
import type { LiveView } from './invariants.ts';
import { WATCHED_SKU } from './load.ts';

/** The product name of WATCHED_SKU: its tile's accessible name. */
const WATCHED_NAME = 'Chef Knife';
const WATCHED_QUERY = '/?query=chef';
/** A little above the shell's load budget for a fragment slot (~8 s). */
const PAGE_LOAD_BUDGET_MS = 12_000;

/** The Chromium flags of `e2e/playwright.config.ts`. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** bff-web's `GET /api/products/{sku}`, as far as a page needs it here. */
interface ProductPage { product: { price: { amount: number; version: number }; stock: { available: number; version: number } | null } }

interface Versioned { value?: number; version: number }
const apply = (slot: Versioned, value: number, version: number) => {
  if (version >= slot.version) Object.assign(slot, { value, version });
};

/**
 * The clients that watch WATCHED_SKU for the whole run: a page's live client (the shared live-client
 * module, in Node) on bff-web, an app's socket on bff-mobile's `/m`, and one real page in Chromium.
 */
export class LiveWatchers {
  private web?: LiveClient;
  private webView = { price: { version: -1 } as Versioned, stock: { version: -1 } as Versioned };
  private mobile?: Socket;
  private mobileToken = '';
  private mobileStock: Versioned = { version: -1 };
  private browser?: Browser;
  private page?: Page;

  constructor(private readonly urls: { bffWeb: string; bffMobile: string; shell: string }) {}

  async open(mobileToken: string): Promise<void> {
    this.mobileToken = mobileToken;
    this.openWeb();
    await this.refetchWeb();
    this.openMobile();
    this.browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    this.page = await this.openPage();
  }

  /** Opens the named clients afresh (as a shopper reloads), so a client one row broke does not fail the next. */
  async reopen(clients: string[]): Promise<void> {
    if (clients.includes('web-live-client')) {
      this.web?.close();
      this.webView = { price: { version: -1 }, stock: { version: -1 } };
      this.openWeb();
      await this.refetchWeb().catch(() => {});
    }
    if (clients.includes('mobile-socket')) {
      this.mobile?.close();
      this.openMobile();
    }
    if (clients.includes('chromium-page')) {
      await this.page?.close().catch(() => {});
      this.page = await this.openPage().catch(() => undefined);
    }
  }

  private openWeb() {
    this.web = createLiveClient(() => createSocket({ url: this.urls.bffWeb }));
    this.web.onStockChanged((u) => { if (u.sku === WATCHED_SKU) apply(this.webView.stock, u.available, u.version); });
    this.web.onPriceChanged((u) => { if (u.sku === WATCHED_SKU) apply(this.webView.price, u.price.amount, u.version); });
    // What a page does after a reconnection that could not replay: refetch what it shows.
    this.web.onResync(() => void this.refetchWeb().catch(() => {}));
    this.web.watch([WATCHED_SKU]);
  }

  private openMobile() {
    // An app: its socket follows the product and, like any well-behaved app, reconnects whoever disconnected it.
    const mobile = io(`${this.urls.bffMobile}/m`, { transports: ['websocket'], auth: { token: this.mobileToken } });
    mobile.on('connect', () => {
      const since = this.mobileStock.version >= 0 ? { [WATCHED_SKU]: this.mobileStock.version } : undefined;
      mobile.emit('watch', { skus: [WATCHED_SKU], ...(since ? { since } : {}) }, () => {});
    });
    mobile.on('disconnect', (reason) => { if (reason === 'io server disconnect') setTimeout(() => mobile.connect(), 500); });
    mobile.on('stock:changed', (u: { sku: string; available: number; version: number }) => {
      if (u.sku === WATCHED_SKU) apply(this.mobileStock, u.available, u.version);
    });
    this.mobile = mobile;
  }

  private async openPage(): Promise<Page> {
    const page = await this.browser!.newPage();
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(`${this.urls.shell}${WATCHED_QUERY}`);
    await page.getByRole('article', { name: WATCHED_NAME }).waitFor({ timeout: 60_000 }).catch(async (err: Error) => {
      const shown = (await page.locator('body').innerText().catch(() => '')).slice(0, 300);
      throw new Error(`the Chromium page never showed ${WATCHED_NAME}: ${err.message.split('\n')[0]}; it shows "${shown}"; console errors: ${errors.slice(0, 3).join(' | ')}`);
    });
    return page;
  }

  private async refetchWeb() {
    const res = await fetch(`${this.urls.bffWeb}/api/products/${WATCHED_SKU}`, { signal: AbortSignal.timeout(3000) }).catch(() => undefined);
    if (!res?.ok) return;
    const { product: p } = (await res.json()) as ProductPage;
    apply(this.webView.price, p.price.amount, p.price.version);
    if (p.stock) apply(this.webView.stock, p.stock.available, p.stock.version);
  }

  /** What each client shows now; the page's values are read from its tile (price as it is printed). */
  async views(final: { price: number; available: number }): Promise<LiveView[]> {
    const views: LiveView[] = [
      { client: 'web-live-client', price: this.webView.price.value, available: this.webView.stock.value },
      { client: 'mobile-socket', available: this.mobileStock.value, tracksPrice: false }, // apps get no price pushes
    ];
    const text = this.page
      ? await this.page.getByRole('article', { name: WATCHED_NAME }).innerText({ timeout: 2000 }).catch(() => '')
      : '';
    const euros = (final.price / 100).toFixed(2);
    const showsPrice = text.includes(euros) || text.includes(euros.replace('.', ','));
    const left = /Only (\d+) left/.exec(text)?.[1];
    const available = left ? Number(left) : /In stock/.test(text) ? -1 : /Out of stock/.test(text) ? 0 : undefined;
    views.push({ client: 'chromium-page', price: showsPrice ? final.price : undefined, available });
    return views;
  }

  /**
   * Opens a fresh page and says what the shopper saw within the load budget: the catalog tile, a slot's
   * fallback (a "Try again" button, or the header's plain `Cart` link that stands in for the mini-cart
   * when mfe-cart cannot load), or nothing at all.
   */
  async loadFreshPage(): Promise<'loaded' | 'fallback' | 'nothing'> {
    const page = await this.browser!.newPage();
    try {
      await page.goto(`${this.urls.shell}${WATCHED_QUERY}`, { timeout: PAGE_LOAD_BUDGET_MS }).catch(() => {});
      const tile = page.getByRole('article', { name: WATCHED_NAME }).getByRole('button', { name: 'Add to cart' });
      const fallback = page.getByRole('button', { name: /try again/i }).or(page.getByRole('link', { name: 'Cart', exact: true })).first();
      const seen = await Promise.any([
        tile.waitFor({ timeout: PAGE_LOAD_BUDGET_MS }).then(() => 'loaded' as const),
        fallback.waitFor({ timeout: PAGE_LOAD_BUDGET_MS }).then(() => 'fallback' as const),
      ]).catch(() => 'nothing' as const);
      return seen;
    } finally {
      await page.close();
    }
  }

  async close(): Promise<void> {
    this.web?.close();
    this.mobile?.close();
    await this.browser?.close();
  }
}
