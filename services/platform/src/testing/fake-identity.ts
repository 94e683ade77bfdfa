import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { TokenClaims, type PasswordGrantBody, type RegisterBody, type TokenPair, type User } from '@shop/contracts/api/identity';
import type { IdentityClient } from '../clients/identity.ts';
import { misbehave, refused, type Behaviour } from './fake-clients.ts';

/**
 * An in-memory identity service for the BFFs' unit tests: accounts, refresh-token rotation and revocation,
 * and real EdDSA access tokens (RFC 8037) signed with a key of its own, whose JWKS (RFC 7517)
 * `startJwksServer` serves so the real token verifier checks them. Fails like the other fakes (`behaviour`).
 */
/** Issues real EdDSA access tokens with a key of its own; `jwks()` is what a verifier needs. */
export class FakeIdentity implements IdentityClient {
  behaviour: Behaviour = 'ok';
  accessTtlSeconds = 900;
  readonly users = new Map<string, { user: User; password: string }>();
  /** Live refresh tokens → user id; a refresh or revoke removes the token. */
  readonly refreshTokens = new Map<string, string>();
  readonly revoked: string[] = [];
  refreshes = 0;

  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly publicJwk: JWK,
    readonly kid: string,
  ) {}

  static async create(): Promise<FakeIdentity> {
    const { privateKey, publicKey } = await generateKeyPair('Ed25519');
    const kid = randomUUID();
    return new FakeIdentity(privateKey, { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' }, kid);
  }

  jwks() {
    return { keys: [this.publicJwk] };
  }

  /** A signed access token; the options make bad ones (expired, another issuer) for tests. */
  signAccessToken(user: Pick<User, 'id' | 'email' | 'name'>, options: { issuedAt?: number; ttlSeconds?: number; issuer?: string; audience?: string } = {}) {
    const issuedAt = options.issuedAt ?? Math.floor(Date.now() / 1000);
    return new SignJWT({ email: user.email, name: user.name })
      .setProtectedHeader({ alg: 'EdDSA', kid: this.kid, typ: 'JWT' })
      .setSubject(user.id)
      .setIssuer(options.issuer ?? TokenClaims.issuer)
      .setAudience(options.audience ?? TokenClaims.audience)
      .setJti(randomUUID())
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + (options.ttlSeconds ?? this.accessTtlSeconds))
      .sign(this.privateKey);
  }

  async issue(user: User): Promise<TokenPair> {
    const refreshToken = randomBytes(32).toString('base64url');
    this.refreshTokens.set(refreshToken, user.id);
    return { accessToken: await this.signAccessToken(user), refreshToken, expiresIn: this.accessTtlSeconds };
  }

  userByEmail(email: string): User | undefined {
    return this.users.get(email.toLowerCase())?.user;
  }

  async register(body: RegisterBody) {
    await misbehave('identity', this.behaviour);
    if (this.users.has(body.email.toLowerCase())) throw refused('identity', 409, 'IDENTITY_EMAIL_TAKEN', 'An account with this email already exists');
    const user = { id: randomUUID(), email: body.email.toLowerCase(), name: body.name };
    this.users.set(user.email, { user, password: body.password });
    return { user, tokens: await this.issue(user) };
  }

  async signIn(body: PasswordGrantBody) {
    await misbehave('identity', this.behaviour);
    const found = this.users.get(body.email.toLowerCase());
    if (!found || found.password !== body.password) throw refused('identity', 401, 'IDENTITY_INVALID_CREDENTIALS', 'Email or password is wrong');
    return this.issue(found.user);
  }

  async refresh(refreshToken: string) {
    await misbehave('identity', this.behaviour);
    this.refreshes++;
    const userId = this.refreshTokens.get(refreshToken);
    const found = [...this.users.values()].find((u) => u.user.id === userId);
    if (!userId || !found) throw refused('identity', 401, 'IDENTITY_INVALID_REFRESH_TOKEN', 'The refresh token is unknown, expired or revoked');
    this.refreshTokens.delete(refreshToken);
    return this.issue(found.user);
  }

  async revoke(refreshToken: string) {
    await misbehave('identity', this.behaviour);
    this.refreshTokens.delete(refreshToken);
    this.revoked.push(refreshToken);
  }

  async ping() {
    await misbehave('identity', this.behaviour);
  }

  /** A token of the right shape signed with a key identity never had, under identity's kid. */
  async forge(user: Pick<User, 'id' | 'email' | 'name'>) {
    const { privateKey } = await generateKeyPair('Ed25519');
    const issuedAt = Math.floor(Date.now() / 1000);
    return new SignJWT({ email: user.email, name: user.name })
      .setProtectedHeader({ alg: 'EdDSA', kid: this.kid, typ: 'JWT' })
      .setSubject(user.id)
      .setIssuer(TokenClaims.issuer)
      .setAudience(TokenClaims.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + 900)
      .sign(privateKey);
  }
}

/** Serves a FakeIdentity's key set at /.well-known/jwks.json, as identity does; `down` answers 503. */
export async function startJwksServer(identity: FakeIdentity): Promise<{ url: string; close(): Promise<void>; down: boolean }> {
  const state = { down: false };
  const server: Server = createServer((req, res) => {
    if (state.down || req.url !== '/.well-known/jwks.json') return void res.writeHead(state.down ? 503 : 404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(identity.jwks()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
