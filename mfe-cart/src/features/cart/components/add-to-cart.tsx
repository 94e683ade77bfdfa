import { errorMessage } from '../../../lib/error-message.ts';
import { useAddToCart } from '../hooks/use-add-to-cart.ts';
import { useLiveCart } from '../hooks/use-live-cart.ts';
import styles from './add-to-cart.module.css';

export interface AddToCartProps {
  sku: string;
  /** The product's name, for the confirmation. */
  name: string;
}

/**
 * The checkout team's button inside the catalog team's tiles and product page. It adds one, shows
 * why not right under itself ("Only 2 left"), and announces the change with `cart:updated`.
 */
export function AddToCart({ sku, name }: AddToCartProps) {
  useLiveCart();
  const add = useAddToCart(sku);
  return (
    <div className={styles.addToCart}>
      <button
        type="button"
        className={styles.button}
        aria-disabled={add.isPending}
        onClick={() => {
          if (!add.isPending) add.mutate();
        }}
      >
        Add to cart
      </button>
      {add.isError ? (
        <p className={styles.error} role="alert">
          {errorMessage(add.error)}
        </p>
      ) : (
        <p className={styles.status} role="status">
          {add.isSuccess ? `${name} is in your cart.` : ''}
        </p>
      )}
    </div>
  );
}
