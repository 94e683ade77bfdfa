import type { WebProduct } from '@shop/contracts/api/web';
import styles from './price.module.css';

/** A price as bff-web wrote it for display: no formatting (and so no Intl) in the browser. */
export function Price({ price, large = false }: { price: WebProduct['price']; large?: boolean }) {
  return (
    <p className={large ? `${styles.price} ${styles.large}` : styles.price} data-testid="price">
      {price.formatted}
    </p>
  );
}
