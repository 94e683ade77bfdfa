import { acceptedVersions, type EventHandlers } from '@shop/platform/event-handlers';
import type { LiveEventHandler } from '@shop/platform/live-intake';
import type { ConsumerDeclaration } from './check.ts';

const root = new URL('../../../', import.meta.url);

/**
 * Imports a workspace's module by path. The specifier is computed so that TypeScript does not pull the
 * service into infra's project (infra is a dependency of those services' tests); what comes back is
 * checked where it is used.
 */
const load = async (path: string): Promise<Record<string, unknown>> => (await import(new URL(path, root).href)) as Record<string, unknown>;

/** A stand-in for what handler factories capture (an app, a context): building a handler map never touches it. */
const inert: never = new Proxy({}, { get: (_t, key) => (key === 'then' ? undefined : inert) }) as never;

function exported<T>(module: Record<string, unknown>, name: string, path: string): T {
  if (!(name in module)) throw new Error(`${path} exports no ${name}`);
  return module[name] as T;
}

const handlerMap = (path: string, name: string) => async () => {
  const value = exported<EventHandlers<unknown> | ((ctx: never) => EventHandlers<unknown>)>(await load(path), name, path);
  return acceptedVersions(typeof value === 'function' ? value(inert) : value);
};

const liveHub = (path: string, name: string) => async () => {
  const make = exported<(target: never) => LiveEventHandler>(await load(path), name, path);
  return make(inert).accepts;
};

/**
 * Every consumer of events in the system and where its handlers are declared: a consumer group's handler
 * map (`handler(contract, fn)` per type and version) or a live hub's routes (`onEvent`). A new consumer is
 * added here so the contracts check holds it to the versions in circulation.
 */
const CONSUMERS: ReadonlyArray<{ name: string; accepts: () => Promise<ConsumerDeclaration['accepts']> }> = [
  { name: 'catalog (read model)', accepts: handlerMap('services/catalog/src/app.ts', 'readModelHandlers') },
  { name: 'cart', accepts: handlerMap('services/cart/src/app.ts', 'cartHandlers') },
  { name: 'inventory (reservations)', accepts: handlerMap('services/inventory/src/app.ts', 'reservationHandlers') },
  { name: 'orders (saga)', accepts: handlerMap('services/orders/src/app.ts', 'sagaHandlers') },
  { name: 'payments (charges)', accepts: handlerMap('services/payments/src/app.ts', 'chargesHandlers') },
  { name: 'bff-web (live hub)', accepts: liveHub('bff-web/src/plugins/live-hub.ts', 'liveEventHandler') },
  { name: 'bff-mobile (change log)', accepts: liveHub('bff-mobile/src/live/record.ts', 'changeRecorder') },
  { name: 'bff-mobile (kept pages)', accepts: liveHub('bff-mobile/src/live/page-events.ts', 'pageEvents') },
];

/** What each consumer in the system accepts. Rejects naming the consumer when its handlers cannot be read. */
export async function systemConsumers(): Promise<ConsumerDeclaration[]> {
  return Promise.all(
    CONSUMERS.map(async ({ name, accepts }) => {
      try {
        return { name, accepts: await accepts() };
      } catch (err) {
        throw new Error(`cannot read what consumer ${name} accepts: ${err instanceof Error ? err.message : String(err)}`);
      }
    }),
  );
}
