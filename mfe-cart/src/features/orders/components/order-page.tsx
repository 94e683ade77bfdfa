import { Link } from 'react-router';
import { paths } from '../../../config/app.ts';
import { isNotFound, isSignInRequired } from '../../../lib/api-client.ts';
import { Loading, LoadError } from '../../../components/query-states.tsx';
import { SignInPrompt } from '../../../components/sign-in-prompt.tsx';
import { useOrder } from '../api/get-order.ts';
import { useLiveOrder } from '../hooks/use-live-orders.ts';
import { isFailed, shortOrderId } from '../utils/order-timeline.ts';
import { formatDateTime } from './format-time.ts';
import { OrderLines } from './order-lines.tsx';
import { StatusTimeline } from './status-timeline.tsx';
import styles from './order-page.module.css';

/** One order, its status moving live from placed to confirmed (or to why it stopped). */
export function OrderPage({ orderId }: { orderId: string }) {
  const order = useOrder(orderId);
  useLiveOrder(orderId);

  if (order.isPending) return <Loading label="Loading your order…" />;
  if (order.isError) {
    if (isSignInRequired(order.error)) {
      return <SignInPrompt title="Sign in to see this order" reason="Orders are kept in your account." next={paths.order(orderId)} />;
    }
    if (isNotFound(order.error)) {
      return (
        <section className={styles.page}>
          <h1 className={styles.heading}>Order not found</h1>
          <p>None of your orders has this number.</p>
          <Link to={paths.orders}>See your orders</Link>
        </section>
      );
    }
    return <LoadError title="This order could not be loaded." error={order.error} onRetry={() => void order.refetch()} />;
  }

  const { status, lines, total, createdAt } = order.data;
  return (
    <section className={styles.page} aria-labelledby="order-heading" data-order-id={orderId}>
      <h1 id="order-heading" className={styles.heading}>
        Order {shortOrderId(orderId)}
      </h1>
      <p className={styles.placedAt}>Placed {formatDateTime(createdAt)}</p>
      <StatusTimeline order={order.data} />
      <OrderLines lines={lines} total={total} />
      <p className={styles.links}>
        {isFailed(status) ? <Link to={paths.cart}>Back to your cart</Link> : null}
        <Link to={paths.orders}>All your orders</Link>
      </p>
    </section>
  );
}
