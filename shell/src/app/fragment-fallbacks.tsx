import styles from './fragment-fallbacks.module.css';

/** What a page slot shows while its fragment loads. */
export function SlotLoading({ label }: { label: string }) {
  return (
    <p className={styles.loading} role="status" aria-live="polite">
      {label}
    </p>
  );
}

/** What a page slot shows when its fragment failed to load or crashed. */
export function SlotUnavailable({ message, retry }: { message: string; retry: () => void }) {
  return (
    <div className={styles.unavailable} role="alert">
      <p className={styles.message}>{message}</p>
      <button type="button" className={styles.retry} onClick={retry}>
        Try again
      </button>
    </div>
  );
}

/** Stand-in for the mini-cart while mfe-cart loads or when it is down: still a way to the cart. */
export function CartLinkFallback() {
  return (
    <a className={styles.cartLink} href="/cart">
      Cart
    </a>
  );
}
