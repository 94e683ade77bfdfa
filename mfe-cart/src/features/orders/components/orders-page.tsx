import { Link } from 'react-router';
import { paths } from '../../../config/app.ts';
import { isSignInRequired } from '../../../lib/api-client.ts';
import { formatPrice } from '@shop/contracts/format-price';
import { Loading, LoadError } from '../../../components/query-states.tsx';
import { SignInPrompt } from '../../../components/sign-in-prompt.tsx';
import { useOrders } from '../api/get-orders.ts';
import { useLiveOrderList } from '../hooks/use-live-orders.ts';
import { shortOrderId, statusLabels } from '../utils/order-timeline.ts';
import { formatDateTime } from './format-time.ts';
import styles from './order-page.module.css';

/** The signed-in shopper's orders, newest first, statuses kept current. */
export function OrdersPage() {
  const orders = useOrders();
  useLiveOrderList();

  let body;
  if (orders.isPending) body = <Loading label="Loading your orders…" />;
  else if (orders.isError) {
    if (isSignInRequired(orders.error)) {
      return <SignInPrompt title="Sign in to see your orders" reason="Orders are kept in your account." next={paths.orders} />;
    }
    body = <LoadError title="Your orders could not be loaded." error={orders.error} onRetry={() => void orders.refetch()} />;
  } else if (orders.data.length === 0) {
    body = (
      <p>
        You have no orders yet. <Link to={paths.catalog}>Start shopping</Link>.
      </p>
    );
  } else {
    const newestFirst = [...orders.data].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    body = (
      <table className={styles.lines}>
        <caption className={styles.caption}>Your orders</caption>
        <thead>
          <tr>
            <th scope="col">Order</th>
            <th scope="col">Placed</th>
            <th scope="col" className={styles.number}>
              Items
            </th>
            <th scope="col" className={styles.number}>
              Total
            </th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {newestFirst.map((order) => (
            <tr key={order.id} data-status={order.status}>
              <th scope="row">
                <Link to={paths.order(order.id)}>Order {shortOrderId(order.id)}</Link>
              </th>
              <td>{formatDateTime(order.createdAt)}</td>
              <td className={styles.number}>{order.lines.reduce((n, line) => n + line.quantity, 0)}</td>
              <td className={styles.number}>{formatPrice(order.total)}</td>
              <td>{statusLabels[order.status]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }

  return (
    <section className={styles.page} aria-labelledby="orders-heading">
      <h1 id="orders-heading" className={styles.heading}>
        Your orders
      </h1>
      {body}
    </section>
  );
}
