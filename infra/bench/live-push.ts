import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Server } from 'socket.io';
import { io, type Socket } from 'socket.io-client';
import { openKafkaRoundTrip } from '@shop/platform/kafka/round-trip';
import { adminRequest } from './admin.ts';
import { figures, type Figures, sleep } from './stats.ts';

export interface LivePushFigures {
  kafka: Figures;
  socketIo: Figures;
  put: Figures;
  push: Figures;
}

interface Series {
  once(): Promise<number>;
  close(): Promise<void>;
}

/** A bare socket.io server and client (websocket) in this process: server emit → client event. */
async function rawSocketIo(): Promise<Series> {
  const http = createServer();
  const server = new Server(http, { transports: ['websocket'] });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const connected = new Promise<import('socket.io').Socket>((resolve) => server.once('connection', resolve));
  const client = io(`http://127.0.0.1:${port}`, { transports: ['websocket'] });
  const socket = await connected;
  let seq = 0;
  return {
    async once() {
      const n = seq++;
      const arrived = new Promise<number>((resolve) => client.once('tick', () => resolve(performance.now())));
      const sent = performance.now();
      socket.emit('tick', { sku: 'BENCH', available: n });
      return (await arrived) - sent;
    },
    async close() {
      client.close();
      await server.close();
    },
  };
}

/** PUT /stock of a sku nobody watches: the operator's request alone. */
function putAlone(inventoryUrl: string, sku: string): Series {
  let n = 0;
  return {
    async once() {
      const started = performance.now();
      const res = await adminRequest('PUT', `${inventoryUrl}/stock/${sku}`, { available: 200 + (n++ % 50) });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`PUT /stock/${sku} answered ${res.status}`);
      return performance.now() - started;
    },
    close: async () => undefined,
  };
}

/** PUT /stock of a watched sku → the `stock:changed` event on a socket of bff-web's. */
async function livePush(inventoryUrl: string, bffUrl: string, sku: string): Promise<Series> {
  const socket: Socket = io(bffUrl, { transports: ['websocket'] });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  await socket.emitWithAck('watch', [sku]);
  let n = 0;
  return {
    async once() {
      const available = 300 + (n++ % 50);
      let timer: NodeJS.Timeout | undefined;
      const arrived = new Promise<number>((resolve, reject) => {
        const onStock = (u: { sku: string; available: number }) => {
          if (u.sku !== sku || u.available !== available) return;
          socket.off('stock:changed', onStock);
          resolve(performance.now());
        };
        socket.on('stock:changed', onStock);
        timer = setTimeout(() => reject(new Error(`no stock:changed for ${sku} within 10 s`)), 10_000);
      });
      const started = performance.now();
      const res = await adminRequest('PUT', `${inventoryUrl}/stock/${sku}`, { available });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`PUT /stock/${sku} answered ${res.status}`);
      try {
        return (await arrived) - started;
      } finally {
        clearTimeout(timer);
      }
    },
    close: async () => void socket.close(),
  };
}

export interface LivePushOptions {
  inventoryUrl: string;
  bffUrl: string;
  brokers: string[];
  /** Two skus of the seed: one watched (live push), one not (PUT alone). Their stock is restored after. */
  watchedSku: string;
  otherSku: string;
  rounds: number;
}

/**
 * The live push and its three parts, measured in rounds: each round takes one sample of each series
 * in turn (raw Kafka produce→consume, raw socket.io emit, PUT alone, the whole push), so that the
 * machine's load at any moment weighs on all four alike. Restores both skus' stock at the end.
 */
export async function measureLivePush(opts: LivePushOptions): Promise<LivePushFigures> {
  const original = async (sku: string) => ((await (await adminRequest('GET', `${opts.inventoryUrl}/stock/${sku}`)).json()) as { available: number }).available;
  const before = { watched: await original(opts.watchedSku), other: await original(opts.otherSku) };
  const logger = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };
  const series: Record<keyof LivePushFigures, Series> = {
    kafka: await openKafkaRoundTrip({ brokers: opts.brokers, clientId: 'bench', logger }, { topicPrefix: 'bench.round-trip' }),
    socketIo: await rawSocketIo(),
    put: putAlone(opts.inventoryUrl, opts.otherSku),
    push: await livePush(opts.inventoryUrl, opts.bffUrl, opts.watchedSku),
  };
  const samples: Record<keyof LivePushFigures, number[]> = { kafka: [], socketIo: [], put: [], push: [] };
  try {
    for (let round = -3; round < opts.rounds; round++) {
      for (const name of Object.keys(series) as (keyof LivePushFigures)[]) {
        const took = await series[name].once();
        if (round >= 0) samples[name].push(took); // the first rounds warm up
        await sleep(15);
      }
    }
  } finally {
    for (const s of Object.values(series)) await s.close();
    await adminRequest('PUT', `${opts.inventoryUrl}/stock/${opts.watchedSku}`, { available: before.watched });
    await adminRequest('PUT', `${opts.inventoryUrl}/stock/${opts.otherSku}`, { available: before.other });
  }
  return { kafka: figures(samples.kafka), socketIo: figures(samples.socketIo), put: figures(samples.put), push: figures(samples.push) };
}
