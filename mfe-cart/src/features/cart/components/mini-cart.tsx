import { Link } from 'react-router';
import { config } from '../../../config/app.ts';
import { useCartCount } from '../hooks/use-cart-count.ts';
import { cartLabel } from './cart-label.ts';
import styles from './mini-cart.module.css';

export function MiniCart() {
  const count = useCartCount();
  return (
    <Link to={config.cartPath} className={styles.link} data-count={count}>
      {cartLabel(count)}
    </Link>
  );
}
