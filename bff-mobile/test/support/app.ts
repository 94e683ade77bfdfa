import type { App } from '@shop/platform/server';
import type { Product } from '@shop/contracts/api/catalog';
import type { StockLevel } from '@shop/contracts/api/inventory';
import { buildApp, type AppDeps } from '../../src/app.ts';
import { fakeBackends, testConfig } from '../fakes.ts';

export type Fakes = Awaited<ReturnType<typeof fakeBackends>>;

/** bff-mobile over in-memory backends, with a JWKS of its own; `close` stops both. */
export async function appWithFakes(
  {
    products = [],
    levels = [],
    env = {},
    deps = {},
    fakes: shared,
  }: { products?: Product[]; levels?: StockLevel[]; env?: Record<string, string>; deps?: AppDeps; fakes?: Fakes } = {},
) {
  const fakes = shared ?? (await fakeBackends(products, levels));
  const app: App = await buildApp(testConfig(env), { clients: fakes.clients, verifier: fakes.keys.verifier(), liveEvents: null, ...deps });
  await app.ready();
  /** Registers a shopper through the API; their bearer header and user id. */
  const signUp = async (email = `shopper-${Math.random().toString(36).slice(2)}@example.com`) => {
    const res = await app.inject({ method: 'POST', url: '/m/v1/auth/register', payload: { email, password: 'correct horse', name: 'Shopper' } });
    if (res.statusCode !== 201) throw new Error(`register answered ${res.statusCode}: ${res.body}`);
    const { accessToken } = res.json() as { accessToken: string };
    return { authorization: `Bearer ${accessToken}`, userId: fakes.identity.userByEmail(email)!.id, accessToken, email };
  };
  return {
    app,
    fakes,
    signUp,
    async close() {
      await app.close();
      if (!shared) await fakes.keys.close();
    },
  };
}
