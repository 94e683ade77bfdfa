import type { WebProduct } from '@shop/contracts/api/web';
import { displayText } from '@shop/contracts/format-price';
import styles from './price.module.css';

/**
 * A price as bff-web wrote it for display: no formatting (and so no Intl) in the browser. Formatted here
 * only if the answer has no text, as from a bff-web older than its `price.formatted`: fragment and BFF
 * deploy apart, in either order.
 */
export function Price({ price, large = false }: { price: WebProduct['price']; large?: boolean }) {
  return (
    <p className={large ? `${styles.price} ${styles.large}` : styles.price} data-testid="price">
      {displayText(price)}
    </p>
  );
}
