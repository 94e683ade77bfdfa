import { fileURLToPath } from 'node:url';

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
  { name: 'bff-web', dir: 'bff-web', entry: server, port: port('BFF_WEB_PORT', 4000) },
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

/** The environment each part starts with: its port, its database, and where its dependencies listen. */
export function partEnv(part: Part, kafkaBrokers: string[]): Record<string, string> {
  return {
    PORT: String(part.port),
    KAFKA_BROKERS: kafkaBrokers.join(','),
    ...(part.database ? { DATABASE_URL: databaseUrl(part.database) } : {}),
    CATALOG_URL: `http://127.0.0.1:${byName('catalog').port}`,
    INVENTORY_URL: `http://127.0.0.1:${byName('inventory').port}`,
    BFF_WEB_URL: `http://127.0.0.1:${byName('bff-web').port}`,
    MFE_CATALOG_URL: partUrl(byName('mfe-catalog')),
    MFE_CART_URL: partUrl(byName('mfe-cart')),
  };
}
