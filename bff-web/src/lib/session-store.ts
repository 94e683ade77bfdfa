import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Compile } from 'typebox/compile';
import { SessionData, SID_PATTERN } from '../schemas/session.ts';

const isSessionData = Compile(SessionData);

/** 32 random bytes, base64url: the session id (cookie `sid`) and the CSRF token. */
export const randomToken = () => randomBytes(32).toString('base64url');

export const newGuestCartId = () => `guest-${randomUUID()}`;

/** A fresh guest session: a new (empty) guest cart, nobody signed in. */
export const guestSession = (csrfToken = randomToken()): SessionData => ({ cartId: newGuestCartId(), csrfToken, user: null, tokens: null });

/**
 * What a session is known by outside the cookie: Redis keys and socket rooms. A hash, so a look at
 * Redis (or a log line naming a room) does not hand out usable session ids.
 */
export const sessionHandle = (sid: string) => createHash('sha256').update(sid).digest('base64url');

/**
 * Sessions in Redis, each under `<prefix><sessionHandle(sid)>`, expiring `ttlSeconds` after their last use
 * (a read extends them, like a guest cart's life). Writes to an existing session only land while it
 * still exists, so a request that raced a sign-out cannot bring the old session back.
 */
export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly ttlSeconds: number,
  ) {}

  private key(sid: string) {
    return this.prefix + sessionHandle(sid);
  }

  /** null for an unknown, expired, malformed or corrupt session. */
  async load(sid: string | undefined): Promise<SessionData | null> {
    if (!sid || !SID_PATTERN.test(sid)) return null;
    const raw = await this.redis.getex(this.key(sid), 'EX', this.ttlSeconds);
    if (!raw) return null;
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch {
      return null;
    }
    return isSessionData.Check(data) ? data : null;
  }

  /** A new session with a new id; answers the id. */
  async create(data: SessionData): Promise<string> {
    const sid = randomToken();
    await this.redis.set(this.key(sid), JSON.stringify(data), 'EX', this.ttlSeconds, 'NX');
    return sid;
  }

  /** Updates a session that still exists; false when it is gone (expired, signed out meanwhile). */
  async save(sid: string, data: SessionData): Promise<boolean> {
    return (await this.redis.set(this.key(sid), JSON.stringify(data), 'EX', this.ttlSeconds, 'XX')) === 'OK';
  }

  /** Moves a session to a new id (sign-in, sign-out: no session fixation); the old id stops working at once. */
  async rotate(oldSid: string, data: SessionData): Promise<string> {
    const sid = randomToken();
    const results = await this.redis
      .multi()
      .set(this.key(sid), JSON.stringify(data), 'EX', this.ttlSeconds, 'NX')
      .del(this.key(oldSid))
      .exec();
    const failed = results?.find(([err]) => err)?.[0];
    if (!results || failed) throw failed ?? new Error('session rotation was aborted');
    return sid;
  }
}
