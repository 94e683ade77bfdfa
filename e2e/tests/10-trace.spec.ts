import { expect, test } from '@playwright/test';
import { getStock, setStock } from '../support/admin.ts';
import { cartLink, placeOrder, register, uniqueEmail } from '../support/shopper.ts';

// A product no other spec touches; stock set before the test so earlier runs do not matter.
const MAT = { sku: 'FIT-0001', name: 'Yoga Mat' };
const ZIPKIN = process.env.ZIPKIN_URL ?? 'http://localhost:9411';
const SAGA = { timeout: 30_000 };

/** A span as Zipkin's v2 API answers it (only what is asserted). */
interface ZipkinSpan {
  id: string;
  parentId?: string;
  name: string;
  kind?: 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';
  localEndpoint?: { serviceName?: string };
  tags?: Record<string, string>;
}

const service = (span: ZipkinSpan) => span.localEndpoint?.serviceName ?? '?';

async function zipkinTrace(traceId: string): Promise<ZipkinSpan[]> {
  const res = await fetch(`${ZIPKIN}/api/v2/trace/${traceId}`);
  return res.ok ? ((await res.json()) as ZipkinSpan[]) : [];
}

/** The spans from `span` up to the root, `span` first, following parent ids within the trace. */
function ancestry(span: ZipkinSpan, byId: Map<string, ZipkinSpan>): ZipkinSpan[] {
  const chain = [span];
  for (let parent = span.parentId && byId.get(span.parentId); parent; parent = parent.parentId && byId.get(parent.parentId)) {
    chain.push(parent);
  }
  return chain;
}

let original = 0;
test.beforeAll(async () => {
  original = (await getStock(MAT.sku)).available;
  await setStock(MAT.sku, 50);
});
test.afterAll(async () => setStock(MAT.sku, original));

test('a checkout is one trace in Zipkin, from the browser\'s request through Kafka and back to the page\'s socket', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(`/products/${MAT.sku}`);
  await expect(page.getByRole('heading', { name: MAT.name, level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(cartLink(page, 1)).toBeVisible();
  await register(page, 'Ada Traced', uniqueEmail('trace'));

  await page.goto('/checkout');
  const checkout = page.waitForResponse((res) => res.request().method() === 'POST' && new URL(res.url()).pathname === '/api/checkout');
  await placeOrder(page);
  const answer = await checkout;
  // W3C Trace Context level 2: version-traceid-spanid-flags of the BFF's server span.
  const traceresponse = answer.headers()['traceresponse'] ?? '';
  expect(traceresponse).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
  const traceId = traceresponse.split('-')[1]!;
  await expect(page.getByTestId('order-status')).toHaveText('Confirmed', SAGA);

  // Spans reach Zipkin in batches: wait until the confirmed order's push to the page is in the trace,
  // through the whole saga: orders → inventory → orders → payments → orders → bff-web.
  const SAGA_PATH = ['bff-web', 'orders', 'inventory', 'orders', 'payments', 'orders', 'bff-web'];
  const path = (chain: ZipkinSpan[]) => chain.map(service).filter((name, i, all) => name !== all[i - 1]).reverse();
  let spans: ZipkinSpan[] = [];
  let pushed: ZipkinSpan[] | undefined;
  // Each part exports its spans in batches of its own: wait until the push's chain is there and every
  // consumer span's parent (sent by another part, maybe in a later batch) has arrived too.
  await expect.poll(async () => {
    spans = await zipkinTrace(traceId);
    const byId = new Map(spans.map((s) => [s.id, s]));
    // Each push to the page (bff-web's consumer spans), traced back to where the trace began.
    const chains = spans.filter((s) => s.kind === 'CONSUMER' && service(s) === 'bff-web').map((s) => ancestry(s, byId));
    pushed = chains.find((chain) => path(chain).join() === SAGA_PATH.join());
    const waiting = spans.filter((s) => s.kind === 'CONSUMER' && !(s.parentId && byId.has(s.parentId))).map((s) => `${service(s)} ${s.name}`);
    return { path: pushed ? path(pushed) : chains.map(path), consumersWithoutParent: waiting };
  }, { timeout: 60_000, intervals: [1_000] }).toEqual({ path: SAGA_PATH, consumersWithoutParent: [] });

  for (const name of ['bff-web', 'orders', 'inventory', 'payments']) expect(spans.map(service)).toContain(name);

  // The chain starts at the BFF's server span for the checkout: the trace the browser was told about.
  const root = pushed!.at(-1)!;
  expect(root.kind).toBe('SERVER');
  expect(root.name.toLowerCase()).toBe('post /api/checkout');
  expect(root.parentId).toBeUndefined();

  // Every consumer span is the child of the producer span that sent its message, on the same topic:
  // a real parent chain, not a trace id copied onto unrelated spans.
  const byId = new Map(spans.map((s) => [s.id, s]));
  const consumers = spans.filter((s) => s.kind === 'CONSUMER');
  expect(consumers.length).toBeGreaterThanOrEqual(4);
  for (const consumer of consumers) {
    const producer = consumer.parentId ? byId.get(consumer.parentId) : undefined;
    expect(producer?.kind, `parent of ${service(consumer)} ${consumer.name}`).toBe('PRODUCER');
    expect(producer?.tags?.['messaging.destination.name']).toBe(consumer.tags?.['messaging.destination.name']);
  }
  // And each producer span is a child of the work that wrote the event (a request or a consumed message).
  for (const producer of spans.filter((s) => s.kind === 'PRODUCER')) {
    expect(producer.parentId, `parent of ${service(producer)} ${producer.name}`).toBeDefined();
    expect(byId.has(producer.parentId!), `parent of ${service(producer)} ${producer.name} is in the trace`).toBe(true);
  }
});
