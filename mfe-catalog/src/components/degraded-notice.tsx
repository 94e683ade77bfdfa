import type { Degraded } from '@shop/contracts/api/web';
import styles from './degraded-notice.module.css';

/** Tells the shopper which parts of the page could not be filled right now. */
export function DegradedNotice({ degraded }: { degraded: readonly Degraded[] }) {
  if (degraded.length === 0) return null;
  return (
    <div className={styles.notice} role="status">
      <ul className={styles.list}>
        {degraded.map((item) => (
          <li key={`${item.part}:${item.message}`}>{item.message}</li>
        ))}
      </ul>
    </div>
  );
}
