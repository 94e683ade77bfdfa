import { Link } from 'react-router';
import { config } from '../../../config/app.ts';
import styles from './cart-page.module.css';

export function CartPage() {
  return (
    <section className={styles.page} aria-labelledby="cart-heading">
      <h1 id="cart-heading" className={styles.heading}>
        Your cart
      </h1>
      <p className={styles.empty}>Your cart is empty.</p>
      <Link to={config.catalogPath}>Continue shopping</Link>
    </section>
  );
}
