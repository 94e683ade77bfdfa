import styles from './query-states.module.css';

export function Loading({ label }: { label: string }) {
  return (
    <p className={styles.loading} role="status" aria-live="polite">
      {label}
    </p>
  );
}

export function LoadError({ title, error, onRetry }: { title: string; error: unknown; onRetry?: () => void }) {
  const detail = error instanceof Error ? error.message : undefined;
  return (
    <div className={styles.error} role="alert">
      <p className={styles.title}>{title}</p>
      {detail ? <p className={styles.detail}>{detail}</p> : null}
      {onRetry ? (
        <button type="button" className={styles.retry} onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
