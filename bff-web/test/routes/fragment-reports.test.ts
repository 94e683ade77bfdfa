import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { FRAGMENT_REPORTS_KEY_PREFIX, SESSION_KEY_PREFIX, testConfig } from '../fakes.ts';
import { startShop, type Shop } from '../shop.ts';

// The shell's fragment reports, counted in the real Redis (this file's key prefixes), as several bff-web
// instances behind a load balancer count them.
const shops: Shop[] = [];
afterEach(async () => {
  for (const shop of shops.splice(0)) await shop.close();
});
async function shop(env: Record<string, string> = {}): Promise<Shop> {
  const started = await startShop({ env });
  shops.push(started);
  return started;
}

interface Sent {
  release?: string;
  sid?: string;
  address?: string;
  origin?: string;
}

function report(on: Shop, body: unknown, { release, sid, address = '127.0.0.1', origin }: Sent = {}) {
  const cookies = [release && `shop_release=${release}`, sid && `sid=${sid}`].filter(Boolean).join('; ');
  return on.app.inject({
    method: 'POST',
    url: '/api/fragment-reports',
    remoteAddress: address,
    headers: { 'content-type': 'application/json', ...(cookies ? { cookie: cookies } : {}), ...(origin ? { origin } : {}) },
    payload: JSON.stringify(body),
  });
}

async function summary(on: Shop, fragment = 'mfe_catalog') {
  const res = await on.app.inject({ method: 'GET', url: `/api/fragment-reports/summary?fragment=${fragment}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { fragment: string; versions: { version: string; sessions: number; failedSessions: number }[] };
}

const mounted = (version: string) => ({ fragment: 'mfe_catalog', version, kind: 'mounted' });
const renderError = (version: string) => ({ fragment: 'mfe_catalog', version, kind: 'render-error', message: 'Cannot read properties of undefined' });
const loadFailed = (version: string) => ({ fragment: 'mfe_catalog', version, kind: 'load-failed' });

const byVersion = (s: Awaited<ReturnType<typeof summary>>) => Object.fromEntries(s.versions.map((v) => [v.version, v]));

describe('POST /api/fragment-reports', () => {
  it('counts distinct release sessions per version, the same on every instance', async () => {
    const [a, b] = [await shop(), await shop()];
    for (const [on, release] of [[a, 'release-one'], [b, 'release-two'], [a, 'release-three']] as const) {
      const res = await report(on, mounted('2.0.0'), { release });
      expect(res.statusCode, res.body).toBe(204);
      expect(res.body).toBe('');
    }
    // The same session again, on the other instance: still three sessions.
    expect((await report(b, mounted('2.0.0'), { release: 'release-one' })).statusCode).toBe(204);
    // One session fails (after mounting, and twice), another only fails to load; the stable version is clean.
    expect((await report(a, renderError('2.0.0'), { release: 'release-two' })).statusCode).toBe(204);
    expect((await report(b, renderError('2.0.0'), { release: 'release-two' })).statusCode).toBe(204);
    expect((await report(b, loadFailed('2.0.0'), { release: 'release-four' })).statusCode).toBe(204);
    expect((await report(a, mounted('1.9.0'), { release: 'release-five' })).statusCode).toBe(204);
    expect((await report(a, mounted('1.0.0'), { release: 'release-five' }).then(() => report(a, { fragment: 'mfe_cart', version: '7', kind: 'load-failed' }, { release: 'release-five' }))).statusCode).toBe(204);

    for (const on of [a, b]) {
      const s = await summary(on);
      expect(s.fragment).toBe('mfe_catalog');
      expect(byVersion(s)).toEqual({
        '2.0.0': { version: '2.0.0', sessions: 4, failedSessions: 2 },
        '1.9.0': { version: '1.9.0', sessions: 1, failedSessions: 0 },
        '1.0.0': { version: '1.0.0', sessions: 1, failedSessions: 0 },
      });
    }
    expect((await summary(a, 'mfe_cart')).versions).toEqual([{ version: '7', sessions: 1, failedSessions: 1 }]);
  });

  it('without a release cookie counts the bff-web session, else the address', async () => {
    const a = await shop();
    const sid = 'A'.repeat(43);
    expect((await report(a, mounted('3'), { sid })).statusCode).toBe(204);
    expect((await report(a, mounted('3'), { sid })).statusCode).toBe(204);
    expect((await report(a, mounted('3'), { sid: 'B'.repeat(43) })).statusCode).toBe(204);
    expect((await report(a, mounted('3'), { address: '10.0.0.1' })).statusCode).toBe(204);
    expect((await report(a, renderError('3'), { address: '10.0.0.1' })).statusCode).toBe(204);
    // A release cookie that is no random id is not believed: the session stands for it.
    expect((await report(a, mounted('3'), { release: 'x', sid })).statusCode).toBe(204);
    expect((await summary(a)).versions).toEqual([{ version: '3', sessions: 3, failedSessions: 1 }]);
  });

  it('needs no session or CSRF token, and stores no session', async () => {
    const a = await shop();
    const res = await report(a, mounted('1.0.0'));
    expect(res.statusCode).toBe(204);
    expect(res.headers['set-cookie']).toBeUndefined();
    const redis = new Redis(testConfig().REDIS_URL);
    try {
      // Only the rate limits' counters (they live under the sign-in limit's prefix, beside the sessions).
      const sessions = (await redis.keys(`${SESSION_KEY_PREFIX}*`)).filter((k) => !k.includes('auth-attempts:'));
      expect(sessions).toEqual([]);
      expect((await redis.keys(`${FRAGMENT_REPORTS_KEY_PREFIX}*`)).length).toBeGreaterThan(0);
      // Every key it writes expires.
      for (const key of await redis.keys(`${FRAGMENT_REPORTS_KEY_PREFIX}*`)) expect(await redis.ttl(key)).toBeGreaterThan(0);
    } finally {
      redis.disconnect();
    }
  });

  it('refuses another site’s page by its Origin, and takes the shell’s', async () => {
    const a = await shop({ LIVE_ALLOWED_ORIGINS: 'https://shop.example' });
    const refused = await report(a, mounted('1.0.0'), { origin: 'https://evil.example', release: 'release-one' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'WEB_ORIGIN_NOT_ALLOWED', message: expect.stringContaining('https://evil.example') });
    expect((await summary(a)).versions).toEqual([]);
    expect((await report(a, mounted('1.0.0'), { origin: 'https://shop.example', release: 'release-one' })).statusCode).toBe(204);
    expect((await summary(a)).versions).toEqual([{ version: '1.0.0', sessions: 1, failedSessions: 0 }]);
  });

  it.each([
    ['fragment', { ...mounted('1'), fragment: 'mfe_unknown' }],
    ['fragment', { version: '1', kind: 'mounted' }],
    ['version', { fragment: 'mfe_catalog', kind: 'mounted' }],
    ['version', { ...mounted('1'), version: 'has spaces' }],
    ['version', { ...mounted('1'), version: 'v'.repeat(65) }],
    ['kind', { ...mounted('1'), kind: 'exploded' }],
    ['kind', { fragment: 'mfe_catalog', version: '1' }],
    ['message', { ...renderError('1'), message: 'x'.repeat(501) }],
    ['colour', { ...mounted('1'), colour: 'red' }],
  ])('answers 400 naming %s for %j, and counts nothing', async (field, body) => {
    const a = await shop();
    const res = await report(a, body, { release: 'release-one' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain(field);
    expect((await summary(a)).versions).toEqual([]);
  });

  it('takes a message of 500 characters', async () => {
    const a = await shop();
    expect((await report(a, { ...renderError('1'), message: 'x'.repeat(500) })).statusCode).toBe(204);
  });

  it('answers 400 to a body that is not JSON', async () => {
    const a = await shop();
    const res = await a.app.inject({ method: 'POST', url: '/api/fragment-reports', headers: { 'content-type': 'text/plain' }, payload: 'mounted' });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.json().message).toBeTruthy();
  });
});

describe('rate limits', () => {
  function expectTooMany(res: Awaited<ReturnType<typeof report>>) {
    expect(res.statusCode).toBe(429);
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(res.json()).toMatchObject({ code: 'WEB_TOO_MANY_REPORTS', message: expect.stringContaining(`${retryAfter} second`) });
  }

  it('turns away a release session’s burst, on every instance, and counts none of it', async () => {
    const env = { FRAGMENT_REPORTS_PER_SESSION_PER_MIN: '3' };
    const [a, b] = [await shop(env), await shop(env)];
    expect((await report(a, mounted('1'), { release: 'release-one' })).statusCode).toBe(204);
    expect((await report(b, mounted('1'), { release: 'release-one' })).statusCode).toBe(204);
    expect((await report(a, mounted('1'), { release: 'release-one' })).statusCode).toBe(204);
    expectTooMany(await report(b, renderError('1'), { release: 'release-one' }));
    expectTooMany(await report(a, renderError('2'), { release: 'release-one' }));
    // Another shopper at the same address is not held up.
    expect((await report(a, mounted('1'), { release: 'release-two' })).statusCode).toBe(204);
    expect((await summary(a)).versions).toEqual([{ version: '1', sessions: 2, failedSessions: 0 }]);
  });

  it('turns away an address’s burst whatever cookies it sends', async () => {
    const env = { FRAGMENT_REPORTS_PER_ADDRESS_PER_MIN: '4' };
    const a = await shop(env);
    for (let i = 0; i < 4; i++) expect((await report(a, mounted('1'), { release: `release-${i}`, address: '10.1.1.1' })).statusCode).toBe(204);
    expectTooMany(await report(a, renderError('1'), { release: 'release-new', address: '10.1.1.1' }));
    // Refused before the body is read: a malformed report counts against the limit too and is not looked at.
    expectTooMany(await report(a, { nonsense: true }, { address: '10.1.1.1' }));
    expect((await report(a, mounted('1'), { release: 'release-new', address: '10.1.1.2' })).statusCode).toBe(204);
    expect((await summary(a)).versions).toEqual([{ version: '1', sessions: 5, failedSessions: 0 }]);
  });
});

describe('GET /api/fragment-reports/summary', () => {
  it('answers 400 naming the fragment for an unknown or missing one', async () => {
    const a = await shop();
    for (const url of ['/api/fragment-reports/summary?fragment=mfe_nope', '/api/fragment-reports/summary']) {
      const res = await a.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toContain('fragment');
    }
  });

  it('lists the most recently reported versions, up to its limit', async () => {
    const a = await shop({ FRAGMENT_REPORTS_MAX_VERSIONS: '2' });
    for (const version of ['1', '2', '3']) expect((await report(a, mounted(version), { release: 'release-one' })).statusCode).toBe(204);
    expect((await summary(a)).versions.map((v) => v.version)).toEqual(['3', '2']);
  });

  it('keeps no counts of versions it no longer lists: a stream of made-up versions does not grow Redis', async () => {
    const a = await shop({ FRAGMENT_REPORTS_MAX_VERSIONS: '2' });
    for (let i = 0; i < 8; i++) expect((await report(a, renderError(`junk-${i}`), { release: `release-${i}-x` })).statusCode).toBe(204);
    const redis = new Redis(testConfig().REDIS_URL);
    try {
      const keys = (await redis.keys(`${FRAGMENT_REPORTS_KEY_PREFIX}mfe_catalog:*`)).sort();
      // The two listed versions' sessions and failures, and the list itself.
      expect(keys.map((k) => k.slice(FRAGMENT_REPORTS_KEY_PREFIX.length))).toEqual([
        'mfe_catalog:junk-6:failed',
        'mfe_catalog:junk-6:sessions',
        'mfe_catalog:junk-7:failed',
        'mfe_catalog:junk-7:sessions',
        'mfe_catalog:versions',
      ]);
    } finally {
      redis.disconnect();
    }
  });
});

describe('metrics', () => {
  const line = (text: string, labels: string) =>
    text.split('\n').find((l) => l.startsWith(`shop_fragment_reports_total{${labels}}`));

  it('counts reports by fragment, version and kind, with a bounded number of versions', async () => {
    const a = await shop({ FRAGMENT_REPORTS_MAX_VERSION_LABELS: '2' });
    for (const body of [mounted('1'), mounted('1'), renderError('1'), mounted('2'), loadFailed('3'), mounted('4')]) {
      expect((await report(a, body, { release: 'release-one' })).statusCode).toBe(204);
    }
    // Refused reports are not counted.
    expect((await report(a, { ...mounted('1'), kind: 'nope' })).statusCode).toBe(400);
    const text = (await a.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(line(text, 'fragment="mfe_catalog",version="1",kind="mounted"')).toMatch(/ 2$/);
    expect(line(text, 'fragment="mfe_catalog",version="1",kind="render-error"')).toMatch(/ 1$/);
    expect(line(text, 'fragment="mfe_catalog",version="2",kind="mounted"')).toMatch(/ 1$/);
    expect(line(text, 'fragment="mfe_catalog",version="other",kind="load-failed"')).toMatch(/ 1$/);
    expect(line(text, 'fragment="mfe_catalog",version="other",kind="mounted"')).toMatch(/ 1$/);
    expect(text).not.toContain('version="3"');
    expect(text).not.toContain('version="4"');
    expect(text).not.toContain('kind="nope"');
  });
});
