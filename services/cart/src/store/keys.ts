/** Where everything lives in Redis, behind the configured prefix (`cart:` unless a test picks its own). */
export interface Keys {
  /** The cart's hash: `<sku>` → quantity, plus `_version` and `_updated` (SKUs never start with `_`). */
  cart(cartId: string): string;
  /** The projection of one product: catalog name/price/version, inventory available/version. */
  product(sku: string): string;
  /** What `product(sku)` puts before the SKU, for the merge script, which finds its SKUs as it runs. */
  productPrefix: string;
  /** Redis stream of events waiting for the relay, and the counter that numbers them. */
  outbox: string;
  outboxSeq: string;
  /** Held by the one relay that publishes. */
  relayLease: string;
  /** A consumed event's marker, set in the same script as its effect. */
  processed(consumer: string, eventId: string): string;
}

export function keysFor(prefix: string): Keys {
  return {
    cart: (cartId) => `${prefix}${cartId}`,
    product: (sku) => `${prefix}product:${sku}`,
    productPrefix: `${prefix}product:`,
    outbox: `${prefix}outbox`,
    outboxSeq: `${prefix}outbox:seq`,
    relayLease: `${prefix}outbox:relay`,
    processed: (consumer, eventId) => `${prefix}processed:${consumer}:${eventId}`,
  };
}
