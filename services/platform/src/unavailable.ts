// Network errors, PostgreSQL connection exceptions (class 08) and shutdowns (57P0x): the store is down,
// which says nothing about the message or request that met it.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH',
  '57P01', '57P02', '57P03',
]);

/**
 * Client errors that mean "not reachable now": ioredis giving up on a command while it reconnects or
 * no node answers, and kafkajs failing to reach or hear from a broker.
 */
const UNAVAILABLE_NAMES = new Set([
  'MaxRetriesPerRequestError', 'ClusterAllFailedError',
  // A bounded outbox that is full: the broker is away, so the effect waits until the relay has drained it.
  'OutboxFullError',
  'KafkaJSConnectionError', 'KafkaJSConnectionClosedError', 'KafkaJSRequestTimeoutError', 'KafkaJSBrokerNotFound',
]);

// pg and ioredis say so in their messages only; Redis replies LOADING/MASTERDOWN/TRYAGAIN/CLUSTERDOWN
// while it restarts or fails over.
const UNAVAILABLE_MESSAGE = new RegExp([
  'Connection terminated', 'Connection is closed', 'timeout exceeded when trying to connect',
  "Stream isn't writeable", 'Command timed out', 'Socket closed unexpectedly',
  '^(LOADING|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|READONLY) ',
].join('|'), 'i');

/**
 * Whether an error (or one it was caused by, via `cause`) means a
 * dependency (PostgreSQL, Redis, Kafka) is unreachable rather than the message or request bad:
 * such a failure is waited out and retried, never dead-lettered. Takes any thrown value; never throws.
 */
export function isUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
    if (UNAVAILABLE_NAMES.has(e.name) || UNAVAILABLE_MESSAGE.test(e.message)) return true;
  }
  return false;
}
