import { createHash } from 'node:crypto';
import { channel } from 'node:diagnostics_channel';
import fc from 'fast-check';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { Redis } from 'ioredis';
import type { LightMyRequestResponse } from 'fastify';

/**
 * Property-based fuzzing of a Fastify app's routes, driven by each route's own JSON Schema
 * (TypeBox schemas are JSON Schema). A share of the inputs is generated valid, so it gets past the
 * validator into the handlers; the rest is hostile in one part at a time (params, query, body,
 * headers, content type, raw body). Each request must answer within a budget, never 5xx, explain
 * every 4xx in its body, and leave the app's stores as they were when it is refused.
 */

/** JSON Schema as Fastify keeps it on a route (TypeBox output is plain JSON Schema). */
type Schema = Record<string, unknown>;

/** One route as the app registered it. */
export interface FuzzRoute {
  method: string;
  url: string;
  schema: { params?: Schema; querystring?: Schema; body?: Schema; headers?: Schema };
}

/** How an input ended: answered 2xx/3xx, refused before the handler ran (parser, schema), or refused by the handler. */
export type FuzzOutcome = 'accepted' | 'refused by schema' | 'refused by handler';

const VALIDATED = Symbol('fuzz.validated');
type MarkedRequest = { [VALIDATED]?: boolean };

/**
 * Records the routes of every Fastify instance created after it is called, by subscribing to
 * Fastify's `fastify.initialization` diagnostics channel (published as an instance is created,
 * before any route is added) and adding an `onRoute` hook there. It also marks each request
 * that passes validation, which tells a schema refusal from a handler's. Call it before building
 * the app; `routesOf(app)` lists what the app registered; `stop()` unsubscribes.
 */
export function collectRoutes(): { routesOf(app: FastifyInstance): FuzzRoute[]; stop(): void } {
  const byApp = new Map<FastifyInstance, FuzzRoute[]>();
  const initialization = channel('fastify.initialization');
  const onInit = (message: unknown) => {
    const { fastify } = message as { fastify: FastifyInstance };
    const routes: FuzzRoute[] = [];
    byApp.set(fastify, routes);
    fastify.addHook('onRoute', (route: RouteOptions) => {
      for (const method of [route.method].flat()) {
        // Fastify adds a HEAD route beside each GET; fuzzing the GET covers it.
        if (method === 'HEAD') continue;
        routes.push({ method, url: route.url, schema: (route.schema ?? {}) as FuzzRoute['schema'] });
      }
    });
    // Root preHandler hooks run after validation and before any route's own hooks and handler.
    fastify.addHook('preHandler', async (req: FastifyRequest) => {
      (req.raw as MarkedRequest)[VALIDATED] = true;
    });
  };
  initialization.subscribe(onInit);
  return {
    routesOf: (app) => byApp.get(app) ?? [],
    stop: () => initialization.unsubscribe(onInit),
  };
}

/** What a property checks of a 4xx answer: undefined when its body names the problem, else what is wrong with it. */
export type ExplainCheck = (res: LightMyRequestResponse, route: FuzzRoute) => string | undefined;

/** A JSON body with a non-empty `message` (the platform's error body, `errorBody()` in server.ts). */
export const jsonMessage: ExplainCheck = (res) => {
  const body = parseJson(res.body) as { message?: unknown } | undefined;
  return typeof body?.message === 'string' && body.message.trim() !== '' ? undefined : `no message in ${res.body.slice(0, 200)}`;
};

/** RFC 9457 problem details: `application/problem+json` with the status and a non-empty `detail`. */
export const problemDetail: ExplainCheck = (res) => {
  if (!String(res.headers['content-type'] ?? '').startsWith('application/problem+json')) {
    return `content-type ${res.headers['content-type']} is not application/problem+json`;
  }
  const body = parseJson(res.body) as { detail?: unknown; status?: unknown } | undefined;
  if (body?.status !== res.statusCode) return `problem status ${body?.status} is not ${res.statusCode}`;
  return typeof body.detail === 'string' && body.detail.trim() !== '' ? undefined : `no detail in ${res.body.slice(0, 200)}`;
};

export interface FuzzOptions {
  /** Runs per route (default `FUZZ_RUNS` or 60); a sixth of them for a GET that declares no input. */
  runs?: number;
  /** Budget of one request in ms; past it the property fails as a hang (default `FUZZ_TIMEOUT_MS` or 5000). */
  timeoutMs?: number;
  /**
   * Headers a valid caller sends to this route (auth: a bearer token, a session cookie and its CSRF token),
   * asked for before each input, so a route that rotates or ends a session does not spoil the next input;
   * hostile inputs may go without them or with them garbled.
   */
  headers?: (route: FuzzRoute) => Record<string, string> | Promise<Record<string, string>>;
  /** Known good values by property name (`sku`, `id`), mixed into valid inputs so they reach past "not found". */
  samples?: Record<string, readonly unknown[]>;
  /** A fingerprint of what the app stores (`postgresWrites`, `redisWrites`); a refused request must leave it equal. */
  writes?: (route: FuzzRoute) => Promise<Record<string, string | number>>;
  /** Whether a 4xx names the problem (default `jsonMessage`). */
  explains?: ExplainCheck;
  /** Routes to leave out, by `METHOD url`. */
  skip?: (route: FuzzRoute) => boolean;
  /** A 5xx that is this route's contract (e.g. `/ready` while a dependency is down); none by default. */
  allow5xx?: (route: FuzzRoute, status: number) => boolean;
  /**
   * fast-check seed: default `FUZZ_SEED` (`random` for a fresh one each run), else FIXED_SEED, so that
   * `npm test` tries the same inputs on every run and a red build means a change broke something;
   * explore with `FUZZ_SEED=random FUZZ_RUNS=500`. Printed on failure to replay it.
   */
  seed?: number;
}

/** The seed `npm test` fuzzes with unless `FUZZ_SEED` says otherwise. */
export const FIXED_SEED = 20261130;

function seedFrom(setting: string | undefined): number | undefined {
  if (setting === 'random') return undefined;
  if (setting === undefined || setting === '') return FIXED_SEED;
  const seed = Number(setting);
  if (!Number.isInteger(seed)) throw new Error(`FUZZ_SEED must be an integer or "random", not ${JSON.stringify(setting)}`);
  return seed;
}

/** Per route, how many inputs ended each way and which statuses were seen. */
export interface FuzzReport {
  routes: { route: string; accepted: number; 'refused by schema': number; 'refused by handler': number; statuses: Record<number, number> }[];
  totals: Record<FuzzOutcome, number>;
}

/** What an input does with the caller's auth headers: sends them, leaves them out, or spoils each value. */
type AuthUse = 'send' | 'omit' | 'garble';

interface FuzzRequest {
  part: string;
  auth: AuthUse;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

/**
 * Fuzzes each route in `routes` of `app` with `options.runs` generated requests (fast-check
 * `asyncProperty`, shrunk to a smallest failing input). Throws (fast-check's report, with seed and
 * counterexample) on the first route that answers 5xx, hangs past `timeoutMs`, answers a 4xx whose
 * body does not name the problem, or changes `writes()` while refusing. Returns the counts by outcome.
 */
export async function fuzzRoutes(app: FastifyInstance, routes: FuzzRoute[], options: FuzzOptions = {}): Promise<FuzzReport> {
  const runs = options.runs ?? Number(process.env.FUZZ_RUNS ?? 60);
  const timeoutMs = options.timeoutMs ?? Number(process.env.FUZZ_TIMEOUT_MS ?? 5000);
  const seed = options.seed ?? seedFrom(process.env.FUZZ_SEED);
  const explains = options.explains ?? jsonMessage;
  const report: FuzzReport = { routes: [], totals: { accepted: 0, 'refused by schema': 0, 'refused by handler': 0 } };

  for (const route of routes) {
    if (options.skip?.(route)) continue;
    const name = `${route.method} ${route.url}`;
    const row = { route: name, accepted: 0, 'refused by schema': 0, 'refused by handler': 0, statuses: {} as Record<number, number> };
    // A route that declares no input (health, metrics) has only headers and stray query keys to vary.
    const declares = ['params', 'querystring', 'body', 'headers'].some((part) => part in route.schema);
    const property = fc.asyncProperty(requestFor(route, options.samples ?? {}), async (request) => {
      const headers = { ...authHeaders((await options.headers?.(route)) ?? {}, request.auth), ...request.headers };
      const before = await options.writes?.(route);
      const res = await within(
        app.inject({ method: request.method as 'GET', url: request.url, headers, payload: request.payload }),
        timeoutMs,
        `${name} did not answer within ${timeoutMs} ms`,
      );
      const outcome: FuzzOutcome = res.statusCode < 400
        ? 'accepted'
        : (res.raw.req as MarkedRequest)[VALIDATED] ? 'refused by handler' : 'refused by schema';
      row[outcome] += 1;
      row.statuses[res.statusCode] = (row.statuses[res.statusCode] ?? 0) + 1;
      if (res.statusCode >= 500 && !options.allow5xx?.(route, res.statusCode)) {
        throw new Error(`${name} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
      }
      if (res.statusCode >= 400 && res.statusCode < 500) {
        const problem = explains(res, route);
        if (problem) throw new Error(`${name} answered ${res.statusCode} without naming the problem: ${problem}`);
      }
      if (res.statusCode >= 400 && before) {
        const after = await options.writes!(route);
        const changed = Object.keys({ ...before, ...after }).filter((k) => before[k] !== after[k]);
        if (changed.length) {
          throw new Error(`${name} refused with ${res.statusCode} but wrote: ${changed.map((k) => `${k} ${before[k]} -> ${after[k]}`).join(', ')}`);
        }
      }
    });
    // Counts are of the runs proper; shrinking a failure re-runs inputs, and then the report is moot.
    await fc.assert(property, {
      numRuns: declares || BODY_METHODS.has(route.method) ? runs : Math.ceil(runs / 6),
      ...(seed === undefined ? {} : { seed }),
      interruptAfterTimeLimit: Math.max(60_000, runs * timeoutMs),
      markInterruptAsFailure: true,
    });
    report.routes.push(row);
    for (const k of Object.keys(report.totals) as FuzzOutcome[]) report.totals[k] += row[k];
  }
  return report;
}

/** The report as a table, one line per route, then the totals. */
export function formatFuzzReport(workspace: string, report: FuzzReport): string {
  const width = Math.max(...report.routes.map((r) => r.route.length), 10);
  const line = (route: string, a: number | string, s: number | string, h: number | string, rest = '') =>
    `${route.padEnd(width)}  ${String(a).padStart(8)}  ${String(s).padStart(17)}  ${String(h).padStart(18)}  ${rest}`;
  return [
    `fuzz ${workspace}: inputs by outcome`,
    line('route', 'accepted', 'refused by schema', 'refused by handler', 'statuses'),
    ...report.routes.map((r) =>
      line(r.route, r.accepted, r['refused by schema'], r['refused by handler'],
        Object.entries(r.statuses).map(([s, n]) => `${s}×${n}`).join(' '))),
    line('total', report.totals.accepted, report.totals['refused by schema'], report.totals['refused by handler']),
  ].join('\n');
}

/**
 * The fuzz test every app runs, in one call: checks that `app` registered at least the routes in `expected`
 * (`METHOD url`, as `collector` recorded them), fuzzes every route it registered (see `fuzzRoutes`), prints the
 * report titled `workspace`, and checks that some inputs got past the schema of each route (accepted or refused
 * by its handler), so that a schema turning everything away cannot pass for a safe route.
 * Returns the report. Throws naming the missing routes or the routes no input got past, or as `fuzzRoutes` does.
 */
export async function fuzzEveryRoute(
  app: FastifyInstance,
  collector: ReturnType<typeof collectRoutes>,
  workspace: string,
  expected: readonly string[],
  options: FuzzOptions = {},
): Promise<FuzzReport> {
  const routes = collector.routesOf(app);
  const registered = new Set(routes.map((r) => `${r.method} ${r.url}`));
  const missing = expected.filter((route) => !registered.has(route));
  if (missing.length > 0) throw new Error(`${workspace} did not register ${missing.join(', ')} (it has ${[...registered].join(', ')})`);
  const report = await fuzzRoutes(app, routes, options);
  console.info(formatFuzzReport(workspace, report));
  const unreached = report.routes.filter((row) => row.accepted + row['refused by handler'] === 0).map((row) => row.route);
  if (unreached.length > 0) throw new Error(`no input got past the schema of ${unreached.join(', ')}: the fuzz never reached their handlers`);
  return report;
}

// ---------------------------------------------------------------------------------------------
// Generation

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** One request for `route`: all parts valid, or one part hostile (more often a part the route declares). */
function requestFor(route: FuzzRoute, samples: Record<string, readonly unknown[]>): fc.Arbitrary<FuzzRequest> {
  const { params, querystring, body, headers } = route.schema;
  const takesBody = body !== undefined || BODY_METHODS.has(route.method);
  const paramNames = [...route.url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
  const paramsSchema: Schema = params ?? { type: 'object', properties: Object.fromEntries(paramNames.map((n) => [n, { type: 'string', minLength: 1 }])), required: paramNames };
  const querySchema: Schema = querystring ?? { type: 'object', properties: {} };
  const bodySchema: Schema | undefined = body ?? (takesBody ? {} : undefined);
  const headerSchema: Schema = headers ?? { type: 'object', properties: {} };

  const valid = {
    params: validValue(paramsSchema, samples) as fc.Arbitrary<Record<string, unknown>>,
    query: queryFrom(querySchema, validValue(querySchema, samples)),
    body: bodySchema === undefined ? fc.constant(undefined) : validValue(bodySchema, samples).map((v) => JSON.stringify(v)),
    headers: validValue(headerSchema, samples).map((h) => stringValues(h)),
    contentType: fc.constant<string | undefined>(bodySchema === undefined ? undefined : 'application/json'),
  };
  const hostile = {
    params: fc.oneof(invalidValue(paramsSchema), fc.dictionary(fc.constantFrom(...paramNames, 'x'), hostileValue())) as fc.Arbitrary<Record<string, unknown>>,
    query: fc.oneof(queryFrom(querySchema, invalidValue(querySchema)), duplicateKeys(querySchema, samples), rawQuery()),
    body: fc.oneof(invalidValue(bodySchema ?? {}).map((v) => JSON.stringify(v) ?? ''), rawBody()),
    headers: fc.oneof(hostileHeaders(), invalidValue(headerSchema).map((h) => stringValues(h))),
    contentType: contentTypes(),
  };
  type Parts = { [K in keyof typeof valid]: typeof valid[K] extends fc.Arbitrary<infer T> ? T : never };
  const build = (part: string, auth: AuthUse = 'send') => (p: Parts): FuzzRequest => {
    const path = route.url
      .replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => pathSegment(p.params?.[name]))
      .replace(/\*$/, () => pathSegment(p.params?.['*'] ?? 'x'));
    const requestHeaders: Record<string, string> = { ...p.headers };
    if (p.contentType !== undefined) requestHeaders['content-type'] = p.contentType;
    else if (p.body !== undefined) delete requestHeaders['content-type'];
    return { part, auth, method: route.method, url: path + p.query, headers: requestHeaders, ...(p.body === undefined ? {} : { payload: p.body }) };
  };
  const oneHostile = (part: keyof typeof valid) => fc.record({ ...valid, [part]: hostile[part] } as { [K in keyof Parts]: fc.Arbitrary<Parts[K]> }).map(build(part));
  return fc.oneof(
    { weight: 5, arbitrary: fc.record(valid).map(build('valid')) },
    { weight: paramNames.length ? 2 : 0, arbitrary: oneHostile('params') },
    { weight: querystring ? 3 : 1, arbitrary: oneHostile('query') },
    { weight: bodySchema === undefined ? 0 : 3, arbitrary: oneHostile('body') },
    { weight: 1, arbitrary: oneHostile('headers') },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom<AuthUse>('omit', 'garble'), fc.record(valid)).map(([auth, p]) => build('auth', auth)(p)) },
    { weight: 1, arbitrary: oneHostile('contentType') },
    // A body where the route takes none, or none where it takes one.
    { weight: 1, arbitrary: fc.record({ ...valid, body: fc.option(rawBody(), { nil: undefined }), contentType: contentTypes() }).map(build('body presence')) },
  );
}

/** A path parameter as a client would send it: percent-encoded, or (sometimes) raw and broken. */
function pathSegment(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
  return text.startsWith('%RAW%') ? text.slice(5) : encode(text);
}

/** Header values as strings; `hostile` keeps what HTTP can carry (Latin-1, no control characters) so Node's parser would pass it. */
function stringValues(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    const text = typeof v === 'string' ? v : JSON.stringify(v) ?? '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k)) continue;
    out[k.toLowerCase()] = headerSafe(text);
  }
  return out;
}

/** The caller's auth headers as `use` says: as they are, left out, or each value cut short and tampered with. */
function authHeaders(headers: Record<string, string>, use: AuthUse): Record<string, string> {
  if (use === 'omit') return {};
  if (use === 'send') return headers;
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, `${v.slice(0, Math.max(1, v.length - 3))}x%00`]));
}

const headerSafe = (text: string) => [...text].filter((c) => { const code = c.charCodeAt(0); return (code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff) || code === 0x09; }).join('').trim();

/** `?k=v&k=v2…` from an object arbitrary: arrays become repeated keys, as browsers and apps send them. */
function queryFrom(_schema: Schema, values: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return values.map((v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v === undefined ? '' : `?${encode(String(v))}`;
    const pairs: string[] = [];
    for (const [k, value] of Object.entries(v)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        const text = typeof item === 'string' ? item : JSON.stringify(item) ?? '';
        pairs.push(`${encode(k)}=${encode(text)}`);
      }
    }
    return pairs.length ? `?${pairs.join('&')}` : '';
  });
}

/** A valid query with one of its keys repeated with another value (`?limit=5&limit=-1`). */
function duplicateKeys(schema: Schema, samples: Record<string, readonly unknown[]>): fc.Arbitrary<string> {
  const names = Object.keys((schema.properties as Record<string, Schema> | undefined) ?? {});
  if (!names.length) return fc.constant('?a=1&a=2');
  return fc.tuple(queryFrom(schema, validValue(schema, samples)), fc.constantFrom(...names), fc.array(hostileScalar(), { minLength: 1, maxLength: 3 }))
    .map(([query, key, values]) => `${query || '?'}${query ? '&' : ''}${values.map((v) => `${encode(key)}=${encode(String(v))}`).join('&')}`);
}

function rawQuery(): fc.Arbitrary<string> {
  return fc.constantFrom('?', '?&&&', '?=', '?%', '?a=%E0%A4%A', '?a=%00', '?a[]=1&a[b]=2', '?__proto__[x]=1', '?constructor=1', `?q=${'x'.repeat(10_000)}`, '?a=1;b=2', '?%FF=%FE');
}

function contentTypes(): fc.Arbitrary<string | undefined> {
  return fc.constantFrom(
    undefined, '', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml',
    'application/json; charset=utf-16', 'application/json; charset=latin1', 'APPLICATION/JSON', 'application/jsonx',
    'application/problem+json', 'application/json, text/html', 'application/octet-stream', ';;;',
  );
}

/** Bodies that are not what a JSON route expects: empty, truncated, deep, prototype-polluting, huge. */
function rawBody(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(
      '', ' ', 'null', '[]', '{}', '""', '0', '-1', 'true', '{', '{"a":', '{"a":1,}', "{'a':1}", '\u0000', '{"a":"\u0000"}', '\uFEFF{}',
      '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}', '1e400', '-1e400',
      '['.repeat(10_000), '{"a":'.repeat(2_000), `"${'x'.repeat(70_000)}"`, `{"a":"${'é'.repeat(40_000)}"}`,
    ),
    fc.string({ unit: 'binary', maxLength: 200 }),
  );
}

const HOSTILE_STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', '%00', '\uD800', '\uFEFF', '\u202Eevil', 'é', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 👩‍👩‍👧', '../../etc/passwd', '%2e%2e%2f',
  '<script>alert(1)</script>', "' OR '1'='1", 'null', 'undefined', 'NaN', 'Infinity', '-1', '0', '1e309', '9007199254740993',
  '__proto__', 'constructor', 'true', '[]', '{}', '%RAW%%', '%RAW%..', '%RAW%%E0%A4%A',
];
const HOSTILE_NUMBERS = [-1, -0, 0.5, -0.5, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, -(2 ** 53), Number.MAX_SAFE_INTEGER + 2, 1e308, -1e308, Number.MIN_VALUE];

function hostileScalar(): fc.Arbitrary<string | number | boolean | null> {
  return fc.oneof(
    fc.constantFrom(...HOSTILE_STRINGS),
    fc.constantFrom(...HOSTILE_NUMBERS),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom(1_000, 10_000, 70_000).chain((n) => fc.constantFrom('A', 'é', '😀').map((c) => c.repeat(n))),
    fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
  );
}

/** Any JSON value, weighted to the ones that break parsers and handlers. */
function hostileValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 4, arbitrary: hostileScalar() },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.array(hostileScalar(), { maxLength: 5 }) },
    { weight: 1, arbitrary: fc.constantFrom({ __proto__: null, polluted: true }, JSON.parse('{"__proto__":{"x":1}}'), new Array(1_000).fill(1)) },
  );
}

const HEADER_NAMES = [
  'authorization', 'cookie', 'accept', 'accept-encoding', 'accept-language', 'idempotency-key', 'if-none-match',
  'if-modified-since', 'x-forwarded-for', 'x-forwarded-proto', 'origin', 'referer', 'user-agent', 'x-request-id', 'range', 'expect',
];

/** Request headers with hostile values Node's HTTP parser would let through. */
function hostileHeaders(): fc.Arbitrary<Record<string, string>> {
  const value = fc.oneof(
    hostileScalar().map((v) => headerSafe(String(v))),
    fc.constantFrom('Bearer ', 'Bearer x.y.z', 'Bearer eyJhbGciOiJub25lIn0.e30.', 'Basic Og==', 'sid=', 'sid=%00; sid=x', '*/*;q=x', 'bytes=-1', '100-continue'),
    fc.constantFrom(1_000, 8_000).map((n) => 'a'.repeat(n)),
  );
  return fc.dictionary(fc.constantFrom(...HEADER_NAMES), value, { minKeys: 1, maxKeys: 4 });
}

/** A value that (most likely) breaks `schema` in one place: a missing required key, an extra key, one property hostile, or the whole value hostile. */
function invalidValue(schema: Schema): fc.Arbitrary<unknown> {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const names = Object.keys(properties);
  if (schema.type !== 'object' || names.length === 0) return hostileValue();
  const base = validValue(schema, {}) as fc.Arbitrary<Record<string, unknown>>;
  return fc.oneof(
    fc.tuple(base, fc.constantFrom(...names)).map(([v, k]) => { const copy = { ...v }; delete copy[k]; return copy; }),
    fc.tuple(base, fc.constantFrom('extra', 'a\u0000b', 'é', 'constructor'), hostileValue()).map(([v, k, x]) => ({ ...v, [k]: x })),
    fc.tuple(base, fc.constantFrom(...names), hostileValue()).map(([v, k, x]) => ({ ...v, [k]: x })),
    fc.tuple(base, fc.constantFrom(...names), fc.constantFrom(...names).chain((n) => invalidValue(properties[n]!)))
      .map(([v, k, x]) => ({ ...v, [k]: x })),
    hostileValue(),
  );
}

/**
 * Values that satisfy `schema` (the JSON Schema subset TypeBox emits: const, enum, anyOf/oneOf/allOf,
 * object, array, string with pattern/format/length, integer and number with bounds, boolean, null).
 * `samples` by property name replace a generated value often, so ids and SKUs name things that exist.
 */
export function validValue(schema: Schema, samples: Record<string, readonly unknown[]> = {}, name?: string): fc.Arbitrary<unknown> {
  const known = name !== undefined ? samples[name] : undefined;
  const generated = fromSchema(schema, samples);
  return known?.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: generated }) : generated;
}

function fromSchema(schema: Schema, samples: Record<string, readonly unknown[]>): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  const union = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (union) return fc.oneof(...union.map((s) => fromSchema(s, samples)));
  if (Array.isArray(schema.allOf)) return fromSchema(mergeAll(schema.allOf as Schema[]), samples);
  if (Array.isArray(schema.type)) return fc.oneof(...(schema.type as string[]).map((type) => fromSchema({ ...schema, type }, samples)));
  switch (schema.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer': {
      const { min, max } = bounds(schema, 1);
      return fc.integer({ min: Math.max(min, Number.MIN_SAFE_INTEGER), max: Math.min(max, Number.MAX_SAFE_INTEGER) });
    }
    case 'number': {
      const { min, max } = bounds(schema, Number.EPSILON);
      return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    }
    case 'string':
      return stringFor(schema);
    case 'array': {
      const items = (schema.items ?? {}) as Schema;
      const minLength = Number(schema.minItems ?? 0);
      return fc.array(fromSchema(items, samples), { minLength, maxLength: Math.max(minLength, Math.min(Number(schema.maxItems ?? 4), 4)) });
    }
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const required = (schema.required ?? []) as string[];
      const arbitraries = Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, validValue(s, samples, k)]));
      const record = fc.record(arbitraries, { requiredKeys: required.filter((k) => k in properties) });
      const extra = schema.patternProperties ?? (typeof schema.additionalProperties === 'object' ? { '.*': schema.additionalProperties } : undefined);
      if (!extra) return record;
      const [pattern, valueSchema] = Object.entries(extra as Record<string, Schema>)[0]!;
      return fc.tuple(record, fc.dictionary(fc.stringMatching(new RegExp(pattern)).filter((k) => k.length > 0 && k.length < 30), fromSchema(valueSchema, samples), { maxKeys: 3 }))
        .map(([r, d]) => ({ ...d, ...r }));
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function bounds(schema: Schema, step: number): { min: number; max: number } {
  const min = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + step : Number(schema.minimum ?? -1_000_000);
  const max = typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum - step : Number(schema.maximum ?? 1_000_000);
  return { min, max: Math.max(min, max) };
}

function stringFor(schema: Schema): fc.Arbitrary<string> {
  const minLength = Number(schema.minLength ?? 0);
  const maxLength = Number(schema.maxLength ?? 64);
  const fits = (s: string) => s.length >= minLength && s.length <= maxLength;
  switch (schema.format) {
    case 'uuid':
      return fc.uuid();
    case 'date-time':
      return fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
    case 'email':
      return fc.emailAddress().filter(fits);
    case 'uri':
      return fc.webUrl().filter(fits);
    case 'uri-reference':
      return fc.webPath().map((p) => p || '/').filter(fits);
  }
  if (typeof schema.pattern === 'string') return fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
  // Unicode and, at the top of the range, strings as long as the schema allows.
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: 'grapheme', minLength, maxLength: Math.min(maxLength, Math.max(minLength, 40)) }).filter(fits) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength, maxLength: Math.min(maxLength, Math.max(minLength, 40)) }).filter(fits) },
    { weight: 1, arbitrary: fc.constantFrom('x', 'é', '😀').map((c) => c.repeat(Math.min(maxLength, 20_000))).filter(fits) },
  );
}

function mergeAll(schemas: Schema[]): Schema {
  return schemas.reduce<Schema>((merged, s) => ({
    ...merged,
    ...s,
    properties: { ...(merged.properties as object), ...(s.properties as object) },
    required: [...((merged.required as string[]) ?? []), ...((s.required as string[]) ?? [])],
  }), { type: 'object' });
}

/** Anything with `pg`'s `query` (a Pool or a client). */
interface Queryable {
  query(sql: string): Promise<{ rows: unknown[] }>;
}

/**
 * A fingerprint of every table in the database's `public` schema but the migrations log:
 * `{ table: "<rows>:<md5 of the rows>" }`, so an update shows as well as an insert or delete.
 * Meant for test databases of a few hundred rows.
 */
export async function postgresWrites(db: Queryable): Promise<Record<string, string>> {
  const tables = (await db.query(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'pgmigrations' ORDER BY tablename",
  )).rows as { tablename: string }[];
  const out: Record<string, string> = {};
  for (const { tablename } of tables) {
    const quoted = `"${tablename.replaceAll('"', '""')}"`;
    const [row] = (await db.query(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM ${quoted} t`,
    )).rows as { n: number; digest: string }[];
    out[tablename] = `${row!.n}:${row!.digest}`;
  }
  return out;
}


/**
 * A fingerprint of every key under `prefix` but those matching `except` (keys, and each value as `DUMP`
 * serialises it; TTLs aside): `{ keys, digest }`. Meant for a test's own prefix of a few hundred keys.
 */
export async function redisWrites(redis: Redis, prefix: string, except?: RegExp): Promise<Record<string, string | number>> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    keys.push(...(except ? batch.filter((k) => !except.test(k)) : batch));
    cursor = next;
  } while (cursor !== '0');
  keys.sort();
  const pipeline = redis.pipeline();
  for (const key of keys) pipeline.dumpBuffer(key);
  const dumps = (await pipeline.exec()) ?? [];
  const hash = createHash('md5');
  keys.forEach((key, i) => {
    hash.update(key).update('\0');
    hash.update((dumps[i]?.[1] as Buffer | null) ?? Buffer.alloc(0)).update('\0');
  });
  return { keys: keys.length, digest: hash.digest('hex') };
}

/**
 * Percent-encodes as a client would; a lone surrogate (which `encodeURIComponent` refuses) goes as its
 * WTF-8 bytes, the invalid UTF-8 a hostile client can send.
 */
function encode(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[^\uD800-\uDFFF]+|[\uD800-\uDBFF][\uDC00-\uDFFF]/g, (chunk) => {
    const code = chunk.charCodeAt(0);
    if (chunk.length === 1 && code >= 0xd800 && code <= 0xdfff) {
      return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    }
    return encodeURIComponent(chunk);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
