import { Link } from 'react-router';
import { paths } from '../../../config/app.ts';
import { displayText } from '@shop/contracts/format-price';
import { useCart } from '../api/get-cart.ts';
import { useLiveCart } from '../hooks/use-live-cart.ts';
import styles from './cart-summary.module.css';

/** What the checkout is about to order: the lines in short and the total. */
export function CartSummary() {
  useLiveCart();
  const cart = useCart();
  if (!cart.data) return null;
  const { lines, total, itemCount } = cart.data;
  return (
    <aside className={styles.summary} aria-labelledby="cart-summary-heading">
      <h2 id="cart-summary-heading" className={styles.heading}>
        Your order ({itemCount} {itemCount === 1 ? 'item' : 'items'})
      </h2>
      <ul className={styles.lines}>
        {lines.map((line) => (
          <li key={line.sku}>
            <span>
              {line.quantity} × {line.name}
            </span>
            <span>{displayText(line.lineTotal)}</span>
          </li>
        ))}
      </ul>
      <p className={styles.total}>
        <span>Total</span>
        <span>{displayText(total)}</span>
      </p>
      <Link to={paths.cart}>Change the cart</Link>
    </aside>
  );
}
