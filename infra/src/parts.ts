import { fileURLToPath } from 'node:url';
import { wantsZipkin, zipkinPort, zipkinSpansEndpoint } from './zipkin/server.ts';

/** Every process `npm start` runs, in start order: each part's dependencies come before it. */

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface Part {
  name: string;
  /** Folder of the workspace, relative to the repository root. */
  dir: string;
  port: number;
  /** The server's entry file, relative to `dir`. */
  entry: string;
  /** The service's own database, for services that have one. */
  database?: string;
  /** Fragments and the shell are served from a Vite build. */
  built?: boolean;
}

const env = process.env;
const port = (name: string, fallback: number) => Number(env[name] ?? fallback);

const server = 'src/server.ts';
const frontendServer = 'server.ts';

export const parts: Part[] = [
  { name: 'inventory', dir: 'services/inventory', entry: server, port: port('INVENTORY_PORT', 7102), database: 'inventory' },
  { name: 'catalog', dir: 'services/catalog', entry: server, port: port('CATALOG_PORT', 7101), database: 'catalog' },
  { name: 'identity', dir: 'services/identity', entry: server, port: port('IDENTITY_PORT', 7106), database: 'identity' },
  { name: 'cart', dir: 'services/cart', entry: server, port: port('CART_PORT', 7103) },
  { name: 'payments', dir: 'services/payments', entry: server, port: port('PAYMENTS_PORT', 7105), database: 'payments' },
  { name: 'orders', dir: 'services/orders', entry: server, port: port('ORDERS_PORT', 7104), database: 'orders' },
  { name: 'bff-web', dir: 'bff-web', entry: server, port: port('BFF_WEB_PORT', 4000) },
  { name: 'bff-mobile', dir: 'bff-mobile', entry: server, port: port('BFF_MOBILE_PORT', 4100) },
  { name: 'mfe-catalog', dir: 'mfe-catalog', entry: frontendServer, port: port('MFE_CATALOG_PORT', 3001), built: true },
  { name: 'mfe-cart', dir: 'mfe-cart', entry: frontendServer, port: port('MFE_CART_PORT', 3002), built: true },
  { name: 'shell', dir: 'shell', entry: frontendServer, port: port('SHELL_PORT', 3000), built: true },
];

export const partUrl = (part: Part) => `http://localhost:${part.port}`;

/** `CATALOG_DATABASE_URL` (etc.) points a service at another database; the default is the local server. */
export function databaseUrl(database: string): string {
  return env[`${database.toUpperCase()}_DATABASE_URL`] ?? `postgres://postgres@127.0.0.1:5432/${database}`;
}

const byName = (name: string) => parts.find((p) => p.name === name)!;
const serviceUrl = (name: string) => `http://127.0.0.1:${byName(name).port}`;

/** The environment each part starts with: its port, its database, and where its dependencies listen. */
export function partEnv(part: Part, kafkaBrokers: string[]): Record<string, string> {
  return {
    PORT: String(part.port),
    // As in the image (Dockerfile): React's production build renders the server-side pages (~2× faster).
    NODE_ENV: env.NODE_ENV ?? 'production',
    KAFKA_BROKERS: kafkaBrokers.join(','),
    ...(part.database ? { DATABASE_URL: databaseUrl(part.database) } : {}),
    // Carts and sessions: the project's own append-only Redis (`npm start` runs it), unless REDIS_URL says otherwise.
    REDIS_URL: env.REDIS_URL ?? `redis://127.0.0.1:${port('REDIS_PORT', 6380)}`,
    CATALOG_URL: serviceUrl('catalog'),
    INVENTORY_URL: serviceUrl('inventory'),
    IDENTITY_URL: serviceUrl('identity'),
    CART_URL: serviceUrl('cart'),
    PAYMENTS_URL: serviceUrl('payments'),
    ORDERS_URL: serviceUrl('orders'),
    BFF_WEB_URL: serviceUrl('bff-web'),
    // The live hubs admit pages of the shell's origin only (as the browser names it).
    LIVE_ALLOWED_ORIGINS: env.LIVE_ALLOWED_ORIGINS ?? `http://localhost:${byName('shell').port},http://127.0.0.1:${byName('shell').port}`,
    MFE_CATALOG_URL: partUrl(byName('mfe-catalog')),
    MFE_CART_URL: partUrl(byName('mfe-cart')),
    // Spans go to the Zipkin `npm start` runs, unless TRACING=off or an OTLP/Zipkin endpoint is set.
    ...(wantsZipkin(env) ? { OTEL_EXPORTER_ZIPKIN_ENDPOINT: zipkinSpansEndpoint(`http://127.0.0.1:${zipkinPort(env)}`) } : {}),
  };
}
