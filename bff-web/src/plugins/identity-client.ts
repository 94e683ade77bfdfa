import fp from 'fastify-plugin';
import { Compile } from 'typebox/compile';
import { Registered, TokenPair, type PasswordGrantBody, type RegisterBody } from '@shop/contracts/api/identity';
import { DownstreamError, sendJson } from '@shop/platform/clients/downstream';
import { joinUrl, registerDownstream, type DownstreamPolicy } from '../lib/downstream-plugin.ts';

const SERVICE = 'identity';

/**
 * The identity service's API as bff-web uses it. Refusals (409 email taken, 401 wrong password or
 * refresh token) throw a DownstreamError with the service's status, code and message.
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
    async revoke(refreshToken, signal) {
      await sendJson(SERVICE, url('/tokens/revoke'), { method: 'POST', body: { refreshToken }, signal });
    },
    async ping(signal) {
      const res = await fetch(url('/health'), { signal });
      await res.body?.cancel();
      if (!res.ok) throw new DownstreamError(SERVICE, res.status, `${SERVICE} /health answered ${res.status}`);
    },
  };
}

export interface IdentityClientOptions extends DownstreamPolicy {
  baseUrl: string;
  /** Replaces the HTTP client (tests); the budget and circuit breaker still apply. */
  client?: IdentityClient;
}

/** `app.identity`: the identity client, every call within the budget and behind the service's circuit breaker. */
export const identityClientPlugin = fp<IdentityClientOptions>(
  async (app, { baseUrl, client = httpIdentityClient(baseUrl), ...policy }) => {
    const guard = registerDownstream(app, SERVICE, policy);
    const guarded: IdentityClient = {
      register: (body) => guard.call((signal) => client.register(body, signal)),
      signIn: (body) => guard.call((signal) => client.signIn(body, signal)),
      refresh: (token) => guard.call((signal) => client.refresh(token, signal)),
      revoke: (token) => guard.call((signal) => client.revoke(token, signal)),
      ping: () => guard.call((signal) => client.ping(signal)),
    };
    app.decorate('identity', guarded);
    app.downstreams.set(SERVICE, { circuit: guard.circuit, ping: guarded.ping });
  },
  { name: 'identity-client' },
);

declare module 'fastify' {
  interface FastifyInstance {
    identity: IdentityClient;
  }
}
