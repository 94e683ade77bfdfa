import { Link } from 'react-router';
import { paths } from '../../../config/app.ts';
import { useCart } from '../api/get-cart.ts';
import { useLiveCart } from '../hooks/use-live-cart.ts';
import { cartLabel } from './cart-label.ts';
import styles from './mini-cart.module.css';

/** The header's `Cart (N)` link; plain `Cart` until the count is known (or when it cannot be read). */
export function MiniCart() {
  useLiveCart();
  const cart = useCart();
  const count = cart.data?.itemCount;
  return (
    <Link to={paths.cart} className={styles.link} data-count={count} aria-busy={cart.isPending}>
      {count === undefined ? 'Cart' : cartLabel(count)}
    </Link>
  );
}
