import { Link, useNavigate } from 'react-router';
import { paths } from '../../../config/app.ts';
import { displayText } from '@shop/contracts/format-price';
import { Loading, LoadError } from '../../../components/query-states.tsx';
import hidden from '../../../components/visually-hidden.module.css';
import { useCart } from '../api/get-cart.ts';
import { useLiveCart } from '../hooks/use-live-cart.ts';
import { CartLineRow } from './cart-line-row.tsx';
import styles from './cart-page.module.css';

export function CartPage() {
  useLiveCart();
  const cart = useCart();
  const navigate = useNavigate();

  let body;
  if (cart.isPending) body = <Loading label="Loading your cart…" />;
  else if (cart.isError) {
    body = <LoadError title="Your cart could not be loaded." error={cart.error} onRetry={() => void cart.refetch()} />;
  } else if (cart.data.lines.length === 0) {
    body = (
      <>
        <p className={styles.empty}>Your cart is empty.</p>
        <Link to={paths.catalog}>Continue shopping</Link>
      </>
    );
  } else {
    const { lines, total, itemCount } = cart.data;
    body = (
      <>
        <table className={styles.lines}>
          <caption className={hidden.hidden}>
            {itemCount} {itemCount === 1 ? 'item' : 'items'} in your cart
          </caption>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col" className={styles.money}>
                Unit price
              </th>
              <th scope="col">Quantity</th>
              <th scope="col" className={styles.money}>
                Line total
              </th>
              <td />
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => (
              <CartLineRow key={line.sku} line={line} />
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={3} className={styles.totalLabel}>
                Total
              </th>
              <td className={`${styles.money} ${styles.total}`} data-testid="cart-total">
                {displayText(total)}
              </td>
              <td />
            </tr>
          </tfoot>
        </table>
        <div className={styles.actions}>
          <Link to={paths.catalog}>Continue shopping</Link>
          <button type="button" className={styles.checkout} onClick={() => navigate(paths.checkout)}>
            Checkout
          </button>
        </div>
      </>
    );
  }

  return (
    <section className={styles.page} aria-labelledby="cart-heading" aria-busy={cart.isFetching}>
      <h1 id="cart-heading" className={styles.heading}>
        Your cart
      </h1>
      {body}
    </section>
  );
}
