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

const digest = (label: string, sid: string) => createHash('sha256').update(`${label}\u0000${sid}`).digest();

/** RFC 9562 UUID layout (version 8: custom) over the first 16 bytes of a digest. */
function uuidFrom(bytes: Buffer): string {
  const b = Buffer.from(bytes.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x80;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The guest session a cookie stands for before anything was written: nothing of it is stored, so a
 * client that only reads (a crawler, a flood of cookie-less requests) costs no Redis key. Its cart id
 * and CSRF token are derived from the session id (SHA-256, so they reveal nothing of it), hence the same
 * on every request and every instance until the first write stores exactly this data.
 */
export const pendingGuestSession = (sid: string): SessionData => ({
  cartId: `guest-${uuidFrom(digest('cart', sid))}`,
  csrfToken: digest('csrf', sid).toString('base64url'),
  user: null,
  tokens: null,
});

/**
 * What a session is known by outside the cookie: Redis keys and socket rooms. A hash, so a look at
 * Redis (or a log line naming a room) does not hand out usable session ids.
 */
export const sessionHandle = (sid: string) => createHash('sha256').update(sid).digest('base64url');

/** Another request held the session's refresh lock for longer than the wait allows. */
export class RefreshLockTimeout extends Error {
  constructor() {
    super('another request is still refreshing this session');
  }
}

/** Deletes the lock only if it still holds this holder's token (it may have expired and been taken since). */
const RELEASE_IF_HELD = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

/**
 * Sessions in Redis, each under `<prefix><sessionHandle(sid)>`, expiring after their last use (a read
 * extends them, like a guest cart's life): `ttlSeconds` for a signed-in user or a guest whose cart holds
 * something, `emptyGuestTtlSeconds` (much shorter) for a guest with an empty cart, so sessions nobody
 * will come back to do not pile up. Writes to an existing session only land while it still exists, so
 * a request that raced a sign-out cannot bring the old session back.
 */
export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly ttlSeconds: number,
    readonly emptyGuestTtlSeconds: number = ttlSeconds,
  ) {}

  private key(sid: string) {
    return this.prefix + sessionHandle(sid);
  }

  /** How long `data` is kept after its last use (s). */
  ttlFor(data: SessionData): number {
    return data.user || data.cartFilled || data.pendingMerge ? this.ttlSeconds : this.emptyGuestTtlSeconds;
  }

  /** null for an unknown, expired, malformed or corrupt session. */
  async load(sid: string | undefined): Promise<SessionData | null> {
    if (!sid || !SID_PATTERN.test(sid)) return null;
    const key = this.key(sid);
    const raw = await this.redis.get(key);
    if (!raw) return null;
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch {
      return null;
    }
    if (!isSessionData.Check(data)) return null;
    await this.redis.expire(key, this.ttlFor(data));
    return data;
  }

  /** Stores a session under `sid` if none is stored there yet; false when one is (another request stored it first). */
  async create(sid: string, data: SessionData): Promise<boolean> {
    return (await this.redis.set(this.key(sid), JSON.stringify(data), 'EX', this.ttlFor(data), 'NX')) === 'OK';
  }

  /** Updates a session that still exists; false when it is gone (expired, signed out meanwhile). */
  async save(sid: string, data: SessionData): Promise<boolean> {
    return (await this.redis.set(this.key(sid), JSON.stringify(data), 'EX', this.ttlFor(data), 'XX')) === 'OK';
  }

  /** Forgets a session at once (sign-out: the guest that follows is not stored until it writes). */
  async forget(sid: string): Promise<void> {
    await this.redis.del(this.key(sid));
  }

  /**
   * Runs `work` holding the session's refresh lock, shared by every instance (Redis `SET NX PX`, released
   * only by its holder): identity rotates refresh tokens, so two instances refreshing one session at
   * once would leave the loser holding a spent token. A holder that dies frees it after `leaseMs`.
   * Waits at most `waitMs` (ms) for the lock, then throws RefreshLockTimeout.
   */
  async withRefreshLock<T>(sid: string, work: () => Promise<T>, { leaseMs = 10_000, waitMs = 12_000 } = {}): Promise<T> {
    const key = `${this.prefix}refresh-lock:${sessionHandle(sid)}`;
    const holder = randomToken();
    const deadline = Date.now() + waitMs;
    while ((await this.redis.set(key, holder, 'PX', leaseMs, 'NX')) !== 'OK') {
      if (Date.now() >= deadline) throw new RefreshLockTimeout();
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    try {
      return await work();
    } finally {
      await this.redis.eval(RELEASE_IF_HELD, 1, key, holder).catch(() => undefined); // else it expires on its own
    }
  }

  /** Moves a session to a new id (sign-in, sign-out: no session fixation); the old id stops working at once. */
  async rotate(oldSid: string, data: SessionData): Promise<string> {
    const sid = randomToken();
    const results = await this.redis
      .multi()
      .set(this.key(sid), JSON.stringify(data), 'EX', this.ttlFor(data), 'NX')
      .del(this.key(oldSid))
      .exec();
    const failed = results?.find(([err]) => err)?.[0];
    if (!results || failed) throw failed ?? new Error('session rotation was aborted');
    return sid;
  }
}
