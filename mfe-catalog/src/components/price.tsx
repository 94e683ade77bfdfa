import type { WebProduct } from '@shop/contracts/api/web';
import { formatPrice } from '../lib/format-price.ts';
import styles from './price.module.css';

export function Price({ price, large = false }: { price: WebProduct['price']; large?: boolean }) {
  return (
    <p className={large ? `${styles.price} ${styles.large}` : styles.price} data-testid="price">
      {formatPrice(price)}
    </p>
  );
}
