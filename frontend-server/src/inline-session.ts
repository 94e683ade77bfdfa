/**
 * The shopper's session, asked of bff-web by the host's server while it writes the page, so the page
 * carries it (the JSON data block `#session`) and the shell need not ask `/api/session` before it
 * renders its fragments: one request fewer in the chain before the first product. bff-web is asked
 * with the browser's own cookie and address, exactly as the browser would ask through the `/api`
 * proxy, and whatever cookie it sets (a new guest's, the renewed one) goes back with the page.
 *
 * Everything here is optional for the page: late (past the budget), refused, unreachable or odd
 * answers give `undefined`, and the shell fetches `/api/session` itself as before.
 */
import { withinBudget } from './budget.ts';

/** The id of the JSON data block holding bff-web's answer to `GET /api/session` (the shell reads it there first). */
export const SESSION_BLOCK_ID = 'session';

/** What bff-web answered for this browser: the body to inline and the cookies to send with the page. */
export interface InlinedSession {
  /** `GET /api/session`'s JSON body (`{user, cartId, csrfToken}`), checked only for its shape's essentials. */
  session: Record<string, unknown>;
  /** bff-web's `Set-Cookie` header values, verbatim, to pass on with the page (may be empty). */
  setCookies: string[];
}

/** The parts of the browser's request bff-web needs to know who is asking (Fastify's request has them all). */
export interface PageRequest {
  headers: Record<string, string | string[] | undefined>;
  /** The browser's address, appended to `x-forwarded-for` as the `/api` proxy does (bff-web limits per address). */
  ip: string;
  /** `http` or `https`: bff-web marks its cookie `Secure` behind TLS. */
  protocol: string;
}

export interface SessionInlinerOptions {
  /** bff-web's base URL (`http://localhost:4000`). */
  bffWebUrl: string;
  /** How long (ms) the page waits for the whole answer, body included; 0 turns inlining off. */
  budgetMs: number;
  /** The path asked, `/api/session` unless told. */
  path?: string;
  fetch?: typeof fetch;
}

/** True when `body` looks like bff-web's Session (what the shell's header and API client rely on). */
function isSession(body: unknown): body is Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const { cartId, csrfToken, user } = body as Record<string, unknown>;
  // `user` is null for a guest, an object when signed in (typeof null is 'object').
  return typeof cartId === 'string' && typeof csrfToken === 'string' && typeof user === 'object';
}

/** One header value of possibly repeated ones, joined as HTTP joins them (`; ` for cookies, RFC 6265 §5.4). */
const joined = (value: string | string[] | undefined, separator = ', ') => (Array.isArray(value) ? value.join(separator) : value);

/**
 * Makes the host's session look-up: for each page request, `GET <bffWebUrl><path>` with the browser's
 * `Cookie`, `x-forwarded-for` (its address appended) and `x-forwarded-proto`, answered within
 * `budgetMs` (the timer covers the body too). Resolves to the session and bff-web's `Set-Cookie`
 * values, or `undefined` when inlining is off (budget 0), bff-web is late, down or answers other
 * than 200 with a Session-shaped JSON body, or the browser's cookie cannot be sent on. Never rejects.
 */
export function createSessionInliner(options: SessionInlinerOptions): (request: PageRequest) => Promise<InlinedSession | undefined> {
  const fetchFn = options.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
  const url = new URL(options.path ?? '/api/session', options.bffWebUrl).href;
  return async (request) => {
    if (options.budgetMs <= 0) return undefined;
    try {
      const cookie = joined(request.headers.cookie, '; ');
      const forwardedFor = [joined(request.headers['x-forwarded-for']), request.ip].filter(Boolean).join(', ');
      return await withinBudget(options.budgetMs, async (signal) => {
        const response = await fetchFn(url, {
          headers: {
            accept: 'application/json',
            ...(cookie ? { cookie } : {}),
            'x-forwarded-for': forwardedFor,
            'x-forwarded-proto': request.protocol,
          },
          redirect: 'manual',
          signal,
        });
        if (response.status !== 200) {
          await response.body?.cancel().catch(() => undefined);
          return undefined;
        }
        const body: unknown = await response.json();
        if (!isSession(body)) return undefined;
        return { session: body, setCookies: response.headers.getSetCookie() };
      });
    } catch {
      // Late (aborted), unreachable, not JSON, or a cookie header undici will not send: the browser asks itself.
      return undefined;
    }
  };
}
