import pg from 'pg';
import type { Redis } from 'ioredis';
import { databaseUrl, partUrl, parts } from '../parts.ts';
import { CHAOS_REDIS_DB, DATABASE_SERVICES } from './isolation.ts';
import type { ListingRow, OrderRow, PaymentRow, ProductRow, StockRow } from './invariants.ts';

/** The run's own connections are named so that a fault never cuts them and a reader can tell them apart. */
export const PROBE_APP_NAME = 'chaos-probe';

/** Everything the invariants need, read from the run's databases. */
export interface Snapshot {
  outboxPending: Record<string, number>;
  products: ProductRow[];
  listing: ListingRow[];
  stock: StockRow[];
  orders: OrderRow[];
  payments: PaymentRow[];
}

/** What one part's `/ready` and `/health` answered (status 0: no answer within the budget). */
export interface PartHealth { name: string; ready: number; readyBody: unknown; health: number }

/** Reads the run's databases and parts; owns one small pool per database. */
export class Probe {
  private readonly pools = new Map<string, pg.Pool>();

  constructor() {
    for (const s of DATABASE_SERVICES) {
      const url = new URL(databaseUrl(s));
      url.searchParams.set('application_name', PROBE_APP_NAME);
      const pool = new pg.Pool({ connectionString: url.toString(), max: 2, connectionTimeoutMillis: 3000, query_timeout: 5000 });
      pool.on('error', () => {}); // an idle probe connection cut under it is simply replaced
      this.pools.set(s, pool);
    }
  }

  private async rows<T>(db: string, sql: string): Promise<T[]> {
    return (await this.pools.get(db)!.query(sql)).rows as T[];
  }

  /** Reads every table the invariants compare; the cart's outbox is a Redis key, counted through `redis`. */
  async snapshot(redis: Redis): Promise<Snapshot> {
    const outboxPending: Record<string, number> = {};
    for (const s of DATABASE_SERVICES) {
      const [row] = await this.rows<{ n: number }>(s, 'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL');
      outboxPending[s] = row!.n;
    }
    outboxPending.cart = await redisOutboxLength(redis, `${process.env.CART_KEY_PREFIX ?? 'cart:'}outbox`);
    return {
      outboxPending,
      products: await this.rows(`catalog`, 'SELECT sku, price_amount FROM products'),
      listing: await this.rows('catalog', 'SELECT sku, price_amount, available FROM product_listing'),
      stock: await this.rows('inventory', 'SELECT sku, available, reserved FROM stock'),
      orders: await this.rows('orders', 'SELECT id::text AS id, status, lines FROM orders'),
      payments: await this.rows('payments', 'SELECT order_id, status FROM payments'),
    };
  }

  /** pg_terminate_backend on every connection of the run's processes to one database; returns how many. */
  async cutConnections(service: string): Promise<number> {
    const { rows } = await this.pools.get(service)!.query(
      `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name <> $1`,
      [PROBE_APP_NAME],
    );
    return (rows[0] as { n: number }).n;
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.end()));
  }
}

async function redisOutboxLength(redis: Redis, key: string): Promise<number> {
  const type = await redis.type(key);
  if (type === 'list') return redis.llen(key);
  if (type === 'zset') return redis.zcard(key);
  if (type === 'hash') return redis.hlen(key);
  if (type === 'stream') return redis.xlen(key);
  if (type === 'set') return redis.scard(key);
  return 0;
}

/** CLIENT KILL of every connection in the run's Redis database but `keep` (the run's own); returns how many. */
export async function killRedisClients(redis: Redis): Promise<number> {
  const me = await redis.client('ID');
  const list = (await redis.client('LIST')) as string;
  let killed = 0;
  for (const line of list.split('\n')) {
    const id = /(?:^|\s)id=(\d+)/.exec(line)?.[1];
    if (!id || Number(id) === me || !line.includes(` db=${CHAOS_REDIS_DB} `)) continue;
    killed += Number(await redis.client('KILL', 'ID', id).catch(() => 0));
  }
  return killed;
}

/** `/ready` and `/health` of every part, each with a short budget. */
export async function partsHealth(): Promise<PartHealth[]> {
  return Promise.all(parts.map(async (p) => {
    const ready = await fetch(`${partUrl(p)}/ready`, { signal: AbortSignal.timeout(2000) })
      .then(async (r) => ({ status: r.status, body: await r.json().catch(() => null) }), () => ({ status: 0, body: null }));
    const health = await fetch(`${partUrl(p)}/health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.status, () => 0);
    return { name: p.name, ready: ready.status, readyBody: ready.body, health };
  }));
}
