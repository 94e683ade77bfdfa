import type { StockLevel } from '@shop/contracts/api/inventory';

/** One stream as one socket follows it: the last position delivered, and what its last delivery left. */
export class Cursor {
  /** User stream: still catching up after connect (gaps are reported in the `sync` that follows). */
  initial = true;
  gapSeen = false;
  /** The last delivery failed (the log or inventory did not answer): the position is where it was. */
  failed = false;
  /** Stock level fetched in a batch when the product was watched; used once, by the first snapshot. */
  prefetched?: StockLevel | null;
  /** Runs a delivery, one at a time; set by the connection that follows the stream. */
  pump: () => Promise<void> = () => Promise.resolve();

  constructor(
    readonly stream: string,
    readonly kind: 'stock' | 'user',
    readonly sku: string | undefined,
    /** Position delivered so far; null: none yet (a snapshot comes first). */
    public after: string | null,
  ) {}
}
