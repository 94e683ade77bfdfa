import { Compile } from 'typebox/compile';
import { Registered, TokenPair, type PasswordGrantBody, type RegisterBody } from '@shop/contracts/api/identity';
import { joinUrl, pingService, sendJson, type Downstream } from './downstream.ts';

const SERVICE = 'identity';

/**
 * The identity service's API (port 7106) as the BFFs use it. Refusals (409 email taken, 401 wrong
 * password or refresh token) throw a DownstreamError with the service's status, code and message.
 */
export interface IdentityClient {
  register(body: RegisterBody, signal?: AbortSignal): Promise<Registered>;
  signIn(body: PasswordGrantBody, signal?: AbortSignal): Promise<TokenPair>;
  /** The refresh token is single-use: the answer carries its successor. */
  refresh(refreshToken: string, signal?: AbortSignal): Promise<TokenPair>;
  revoke(refreshToken: string, signal?: AbortSignal): Promise<void>;
  ping(signal?: AbortSignal): Promise<void>;
}

const isRegistered = Compile(Registered);
const isTokenPair = Compile(TokenPair);

export function httpIdentityClient(baseUrl: string): IdentityClient {
  const url = (path: string) => joinUrl(baseUrl, path);
  return {
    register: (body, signal) => sendJson(SERVICE, url('/users'), { method: 'POST', body, signal, schema: isRegistered }),
    signIn: (body, signal) => sendJson(SERVICE, url('/tokens'), { method: 'POST', body, signal, schema: isTokenPair }),
    refresh: (refreshToken, signal) =>
      sendJson(SERVICE, url('/tokens/refresh'), { method: 'POST', body: { refreshToken }, signal, schema: isTokenPair }),
    revoke: (refreshToken, signal) =>
      sendJson(SERVICE, url('/tokens/revoke'), { method: 'POST', body: { refreshToken }, signal }).then(() => undefined),
    ping: (signal) => pingService(SERVICE, baseUrl, signal),
  };
}

/** The same client with every call within the downstream's budget and behind its circuit breaker. */
export const guardIdentity = (client: IdentityClient, guard: Downstream): IdentityClient => ({
  register: (body) => guard.call((signal) => client.register(body, signal)),
  signIn: (body) => guard.call((signal) => client.signIn(body, signal)),
  refresh: (token) => guard.call((signal) => client.refresh(token, signal)),
  revoke: (token) => guard.call((signal) => client.revoke(token, signal)),
  ping: () => guard.call((signal) => client.ping(signal)),
});
