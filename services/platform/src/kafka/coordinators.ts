import type { Kafka } from 'kafkajs';

/** What a kafkajs cluster's `findGroupCoordinator` takes (coordinatorType 0: a group's, 1: a transactional id's). */
interface CoordinatorQuery {
  groupId: string;
  coordinatorType?: number;
}

interface ClusterLike {
  findGroupCoordinator(query: CoordinatorQuery): Promise<object>;
}

/** Errors a coordinator answers with that prove it is still the coordinator: the retry may go to it again. */
const STILL_COORDINATOR = new Set(['CONCURRENT_TRANSACTIONS', 'COORDINATOR_LOAD_IN_PROGRESS']);

/** The description of kafkajs's private cluster factory on a `Kafka` instance (kafkajs 2.x). */
const CREATE_CLUSTER = 'private:Kafka:createCluster';

/**
 * Makes every kafkajs cluster `kafka` creates from now on (one per producer, consumer or admin) remember
 * the coordinators it found, per group or transactional id and coordinator type. kafkajs asks the broker
 * (FindCoordinator) before each step of a transaction: four round trips of the nine an outbox batch costs.
 * Java's producer keeps its coordinators until one answers with an error, and so does this: a coordinator
 * is forgotten as soon as a request to it fails (save with an error only the coordinator itself gives, such
 * as CONCURRENT_TRANSACTIONS), so kafkajs's own retry of that request looks it up afresh, as it did before.
 * Returns false, changing nothing, when `kafka` is not the kafkajs 2.x this was written for (then every step
 * looks its coordinator up again, which is slower but as correct).
 */
export function rememberCoordinators(kafka: Kafka): boolean {
  const own = kafka as unknown as Record<symbol, unknown>;
  const key = Object.getOwnPropertySymbols(kafka).find((s) => s.description === CREATE_CLUSTER);
  const create = key === undefined ? undefined : own[key];
  if (key === undefined || typeof create !== 'function') return false;
  own[key] = (...args: unknown[]) => {
    const cluster = (create as (...a: unknown[]) => unknown)(...args);
    if (typeof (cluster as Partial<ClusterLike>)?.findGroupCoordinator === 'function') remember(cluster as ClusterLike);
    return cluster;
  };
  return true;
}

function remember(cluster: ClusterLike): void {
  const find = cluster.findGroupCoordinator.bind(cluster);
  const known = new Map<string, Promise<object>>();
  cluster.findGroupCoordinator = (query) => {
    const key = `${query.coordinatorType ?? 0}:${query.groupId}`;
    const cached = known.get(key);
    if (cached) return cached;
    const forget = () => {
      if (known.get(key) === found) known.delete(key);
    };
    const found: Promise<object> = find(query).then((broker) => forgettingOnFailure(broker, forget));
    found.catch(forget);
    known.set(key, found);
    return found;
  };
}

/** The broker, whose every method calls `forget` when it throws or rejects (and then fails as it would). */
function forgettingOnFailure(broker: object, forgetAlways: () => void): object {
  const forget = (err: unknown) => {
    if (!STILL_COORDINATOR.has((err as { type?: unknown } | null)?.type as string)) forgetAlways();
  };
  return new Proxy(broker, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        try {
          const result: unknown = value.apply(target, args);
          if (result instanceof Promise) return result.catch((err: unknown) => { forget(err); throw err; });
          return result;
        } catch (err) {
          forget(err);
          throw err;
        }
      };
    },
  });
}
