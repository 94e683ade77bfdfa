import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import type { FastifyRequest } from 'fastify';

export interface SecurityHeadersOptions {
  /** Other origins the page loads code, styles and manifests from: the fragments' (the shell's remotes). */
  fragmentOrigins: string[];
  /** A fragment's files are loaded by the shell, another origin: they must not be same-origin only (CORP). */
  remote: boolean;
}

/** HSTS lifetime: one year (RFC 6797), sent only over TLS, where a browser heeds it. */
export const HSTS = 'max-age=31536000; includeSubDomains';

/** The origins of the absolute entry URLs in a `/remotes.json` body (`{remotes: [{entry}]}`); relative ones are same-origin. */
export function originsOfRemotes(remotes: object): string[] {
  const list = (remotes as { remotes?: { entry?: unknown }[] }).remotes ?? [];
  const origins = new Set<string>();
  for (const { entry } of list) {
    if (typeof entry === 'string' && /^https?:\/\//i.test(entry)) origins.add(new URL(entry).origin);
  }
  return [...origins];
}

/**
 * Whether the browser reached us over TLS: directly, or through a proxy that says so (`X-Forwarded-Proto`).
 * A proxied answer to a body sent after `100 Continue` is sent once the request's socket is gone (null).
 */
const overTls = (req: FastifyRequest) =>
  (req.raw.socket as TLSSocket | null)?.encrypted === true ||
  String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]?.trim().toLowerCase() === 'https';

const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * Security headers on every answer (helmet): a Content-Security-Policy (W3C CSP Level 3) with no inline or
 * eval'd script at all — scripts come from this origin and the fragments' only, and a
 * `<script type="application/json">` data block is data, never run, so it needs no exception — plus
 * `frame-ancestors 'none'` (no clickjacking), `Referrer-Policy: strict-origin-when-cross-origin`, nosniff, and
 * HSTS only when the page came over TLS. Styles may be inline (React's `style` props); script may not.
 */
export const securityHeadersPlugin = fp<SecurityHeadersOptions>(
  async (app, { fragmentOrigins, remote }) => {
    // The live socket is same-origin; 'self' covers ws: in CSP3, named as well for older engines.
    const sameOriginSockets = (req: IncomingMessage) => {
      const host = req.headers.host ?? '';
      return HOST.test(host) ? `ws://${host} wss://${host}` : "'self'";
    };
    await app.register(helmet, {
      global: true,
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", ...fragmentOrigins],
          scriptSrcAttr: ["'none'"],
          styleSrc: ["'self'", "'unsafe-inline'", ...fragmentOrigins],
          imgSrc: ["'self'", 'data:', ...fragmentOrigins],
          fontSrc: ["'self'", 'data:', ...fragmentOrigins],
          connectSrc: ["'self'", ...fragmentOrigins, (req: IncomingMessage, _res: ServerResponse) => sameOriginSockets(req)],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
      // The shell loads a fragment's files cross-origin; the shell's own stay same-origin.
      crossOriginResourcePolicy: { policy: remote ? 'cross-origin' : 'same-origin' },
      crossOriginEmbedderPolicy: false,
      strictTransportSecurity: false, // set below, over TLS only
    });
    app.addHook('onSend', async (req, reply) => {
      if (overTls(req)) reply.header('strict-transport-security', HSTS);
    });
  },
  { name: 'security-headers' },
);
