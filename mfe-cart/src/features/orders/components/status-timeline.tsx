import type { Order } from '@shop/contracts/api/orders';
import hidden from '../../../components/visually-hidden.module.css';
import { statusLabels, statusSentences, timeline, isFailed } from '../utils/order-timeline.ts';
import { formatTime } from './format-time.ts';
import styles from './order-page.module.css';

const stateWords = { done: 'done', failed: 'stopped here', upcoming: 'to come' } as const;

/** Where the order stands (announced when it changes) and the steps behind and ahead of it. */
export function StatusTimeline({ order }: { order: Pick<Order, 'status' | 'reason' | 'history'> }) {
  const failed = isFailed(order.status);
  return (
    <div className={styles.progress}>
      <div className={failed ? `${styles.current} ${styles.currentFailed}` : styles.current} role="status" aria-live="polite">
        <p className={styles.statusLine}>
          Status: <strong data-testid="order-status" data-status={order.status}>{statusLabels[order.status]}</strong>
        </p>
        <p className={styles.sentence}>{statusSentences[order.status]}</p>
        {failed && order.reason ? <p className={styles.reason}>{order.reason}</p> : null}
      </div>
      <ol className={styles.timeline} aria-label="Order progress">
        {timeline(order).map((step) => (
          <li key={step.step ?? step.status} className={styles[step.state]} data-state={step.state}>
            <span className={styles.dot} aria-hidden="true" />
            <span className={styles.stepLabel}>{step.label}</span>
            <span className={hidden.hidden}>: {stateWords[step.state]}</span>
            {step.at ? (
              <time className={styles.at} dateTime={step.at}>
                {formatTime(step.at)}
              </time>
            ) : null}
            {step.reason ? <span className={styles.stepReason}>{step.reason}</span> : null}
          </li>
        ))}
      </ol>
    </div>
  );
}
