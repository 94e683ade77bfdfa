import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Counter } from 'prom-client';
import { Type } from 'typebox';
import { ApiError } from '@shop/contracts/api/errors';
import {
  FragmentReport,
  FragmentReportsSummary,
  FragmentReportsSummaryQuery,
  RELEASE_COOKIE,
  type FragmentName,
} from '@shop/contracts/api/fragment-reports';
import { HttpError } from '@shop/platform/errors';
import type { App } from '@shop/platform/server';
import { originNotAllowed, tooManyReports } from '../../errors.ts';
import { SESSION_COOKIE } from '../../plugins/sessions.ts';
import { SID_PATTERN } from '../../schemas/session.ts';

/** Fragment report settings, for bff-web's config schema. */
export const FragmentReportsConfig = {
  /** Prefix of the per-version session counts in Redis, shared by every instance; tests use their own. */
  FRAGMENT_REPORTS_KEY_PREFIX: Type.String({ default: 'bff-web:fragment-reports:', minLength: 1 }),
  /** A version's counts live this long (s) after its last report: long enough for a canary to be judged. */
  FRAGMENT_REPORTS_TTL_S: Type.Integer({ default: 2 * 86_400, minimum: 60 }),
  /** Reports one client address may send per minute (many shoppers can share one address behind NAT). */
  FRAGMENT_REPORTS_PER_ADDRESS_PER_MIN: Type.Integer({ default: 300, minimum: 1 }),
  /** Reports one release session may send per minute (a page sends a few per fragment and load). */
  FRAGMENT_REPORTS_PER_SESSION_PER_MIN: Type.Integer({ default: 30, minimum: 1 }),
  /** Versions per fragment with a metrics label of their own in this process; later ones are counted as `other`. */
  FRAGMENT_REPORTS_MAX_VERSION_LABELS: Type.Integer({ default: 20, minimum: 1, maximum: 1_000 }),
  /** Versions per fragment the summary keeps track of (the most recently reported ones). */
  FRAGMENT_REPORTS_MAX_VERSIONS: Type.Integer({ default: 100, minimum: 1, maximum: 10_000 }),
};

export interface FragmentReportsOptions {
  keyPrefix: string;
  ttlSeconds: number;
  perAddressPerMin: number;
  perSessionPerMin: number;
  maxVersionLabels: number;
  maxVersions: number;
  /** Origins whose pages may post reports (the shell's); a request without `Origin` is not a browser page's. */
  allowedOrigins: string[];
}

/** A release cookie worth counting: the shell's server sets a random id; anything else falls back to the session. */
const RELEASE_ID = /^[A-Za-z0-9._~-]{8,128}$/;

/**
 * Who sent a report, for counting distinct sessions: the release cookie (one per browser and release), else
 * bff-web's session cookie, else the address. Hashed, so no cookie value is kept in Redis.
 */
function reporterOf(req: FastifyRequest): string {
  const release = req.cookies[RELEASE_COOKIE];
  const sid = req.cookies[SESSION_COOKIE];
  const who = release && RELEASE_ID.test(release) ? `release:${release}` : sid && SID_PATTERN.test(sid) ? `sid:${sid}` : `ip:${req.ip}`;
  return createHash('sha256').update(who).digest('base64url').slice(0, 22);
}

const reportsUnavailable = () =>
  new HttpError(503, 'WEB_REPORTS_UNAVAILABLE', 'Fragment reports cannot be counted right now. Please try again shortly.');

/**
 * `POST /fragment-reports` (204) and `GET /fragment-reports/summary?fragment=` (see
 * `@shop/contracts/api/fragment-reports`). Distinct sessions per fragment and version are HyperLogLogs in
 * Redis (PFADD/PFCOUNT), so every instance answers the same summary; reports are counted in
 * `shop_fragment_reports_total{fragment,version,kind}`.
 *
 * No CSRF token: a report changes nothing a shopper owns (a forged one only adds noise to counts, as a
 * shopper's own could), and asking for one would make every guest store a session just to report.
 * What guards it instead: a browser page of another origin is refused by its `Origin`, a cross-site form
 * cannot send `application/json` without a CORS preflight bff-web never grants, and reports are limited
 * per address and per release session (`@fastify/rate-limit` in Redis, like sign-in attempts).
 * Needs the rate-limit plugin (app.createRateLimit), cookies and app.redis registered first.
 */
export default async function fragmentReportRoutes(app: App, options: FragmentReportsOptions) {
  const allowed = new Set(options.allowedOrigins);
  const counter = new Counter({
    name: 'shop_fragment_reports_total',
    help: 'Fragment reports from the shell, by fragment, version (at most a few per fragment, then "other") and kind',
    labelNames: ['fragment', 'version', 'kind'],
    registers: [app.metrics],
  });
  const labelled = new Map<string, Set<string>>();
  const versionLabel = (fragment: string, version: string) => {
    let versions = labelled.get(fragment);
    if (!versions) labelled.set(fragment, (versions = new Set()));
    if (versions.has(version)) return version;
    if (versions.size >= options.maxVersionLabels) return 'other';
    versions.add(version);
    return version;
  };

  const key = (fragment: FragmentName, suffix: string) => `${options.keyPrefix}${fragment}:${suffix}`;
  const versionsKey = (fragment: FragmentName) => key(fragment, 'versions');

  let perAddress: ReturnType<App['createRateLimit']> | undefined;
  let perSession: ReturnType<App['createRateLimit']> | undefined;
  const admit = async (req: FastifyRequest, reply: FastifyReply) => {
    const origin = req.headers.origin;
    if (origin !== undefined && !allowed.has(origin)) throw originNotAllowed(origin);
    perAddress ??= app.createRateLimit({ max: options.perAddressPerMin, timeWindow: 60_000, keyGenerator: (r) => `fragment-reports:ip:${r.ip}` });
    perSession ??= app.createRateLimit({ max: options.perSessionPerMin, timeWindow: 60_000, keyGenerator: (r) => `fragment-reports:session:${reporterOf(r)}` });
    for (const limit of [perAddress, perSession]) {
      const verdict = await limit(req);
      if (verdict.isAllowed || !verdict.isExceeded) continue;
      const retryAfterS = Math.max(1, verdict.ttlInSeconds);
      reply.header('retry-after', String(retryAfterS));
      throw tooManyReports(retryAfterS);
    }
  };

  app.post(
    '/fragment-reports',
    {
      // Counted as the request arrives, before its body is read, so a flood costs the sender the limit.
      onRequest: admit,
      schema: {
        body: FragmentReport,
        response: { 204: Type.Null(), 400: ApiError, 403: ApiError, 415: ApiError, 429: ApiError, 503: ApiError },
      },
    },
    async (req, reply) => {
      const { fragment, version, kind, message } = req.body;
      counter.inc({ fragment, version: versionLabel(fragment, version), kind });
      if (kind !== 'mounted') req.log.info({ fragment, version, kind, reported: message }, 'fragment failure reported');
      const reporter = reporterOf(req);
      const { ttlSeconds, maxVersions } = options;
      const sessions = key(fragment, `${version}:sessions`);
      const failed = key(fragment, `${version}:failed`);
      const tx = app.redis.multi().pfadd(sessions, reporter);
      if (kind !== 'mounted') tx.pfadd(failed, reporter);
      // Both counts of a version, and its place among the recent versions, expire together.
      tx.expire(sessions, ttlSeconds)
        .expire(failed, ttlSeconds)
        .zadd(versionsKey(fragment), Date.now(), version)
        .expire(versionsKey(fragment), ttlSeconds);
      await tx.exec().catch((err: unknown) => {
        req.log.warn({ err }, 'fragment report not stored');
        throw reportsUnavailable();
      });
      // Versions pushed off the list lose their counts too: any sender can make versions up, and each
      // would otherwise leave two keys behind for the whole TTL. (A version reported again at this very
      // moment on another instance may lose its counts so far; it is among the oldest anyway.)
      const trimmed = await app.redis
        .multi()
        .zrange(versionsKey(fragment), '0', String(-(maxVersions + 1)))
        .zremrangebyrank(versionsKey(fragment), 0, -(maxVersions + 1))
        .exec()
        .catch((err: unknown) => void req.log.warn({ err }, 'old fragment versions not trimmed'));
      const evicted = trimmed?.[0]?.[1];
      if (Array.isArray(evicted) && evicted.length > 0) {
        const stale = (evicted as string[]).flatMap((v) => [key(fragment, `${v}:sessions`), key(fragment, `${v}:failed`)]);
        await app.redis.del(...stale).catch((err: unknown) => req.log.warn({ err }, 'old fragment report counts not removed'));
      }
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/fragment-reports/summary',
    { schema: { querystring: FragmentReportsSummaryQuery, response: { 200: FragmentReportsSummary, 400: ApiError, 503: ApiError } } },
    async (req) => {
      const { fragment } = req.query;
      try {
        const versions = await app.redis.zrevrange(versionsKey(fragment), 0, options.maxVersions - 1);
        const pipeline = app.redis.pipeline();
        for (const version of versions) pipeline.pfcount(key(fragment, `${version}:sessions`)).pfcount(key(fragment, `${version}:failed`));
        const counts = (await pipeline.exec()) ?? [];
        const count = (i: number) => {
          const [err, n] = counts[i] ?? [new Error('no answer')];
          if (err) throw err;
          return Number(n);
        };
        return { fragment, versions: versions.map((version, i) => ({ version, sessions: count(2 * i), failedSessions: count(2 * i + 1) })) };
      } catch (err) {
        req.log.warn({ err }, 'fragment reports not read');
        throw reportsUnavailable();
      }
    },
  );
}
