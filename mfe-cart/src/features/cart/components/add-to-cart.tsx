import { useId } from 'react';
import { errorMessage } from '../../../lib/error-message.ts';
import { useAddToCart } from '../hooks/use-add-to-cart.ts';
import { useLiveCart } from '../hooks/use-live-cart.ts';
import styles from './add-to-cart.module.css';

export interface AddToCartProps {
  sku: string;
  /** The product's name, for the confirmation. */
  name: string;
  /**
   * Why the product cannot be added now (the catalog knows its stock: "Sold out, none left to add"):
   * the button is then disabled and says why beneath itself. Absent, it can be added.
   */
  unavailable?: string;
}

/**
 * The checkout team's button inside the catalog team's tiles and product page. It adds one, shows
 * why not right under itself ("Only 2 left"), and announces the change with `cart:updated`.
 */
export function AddToCart({ sku, name, unavailable }: AddToCartProps) {
  useLiveCart();
  const add = useAddToCart(sku);
  const reasonId = useId();
  return (
    <div className={styles.addToCart}>
      <button
        type="button"
        className={styles.button}
        disabled={unavailable !== undefined}
        aria-disabled={add.isPending}
        aria-describedby={unavailable !== undefined ? reasonId : undefined}
        onClick={() => {
          if (!add.isPending && unavailable === undefined) add.mutate();
        }}
      >
        Add to cart
      </button>
      {unavailable !== undefined ? (
        <p id={reasonId} className={styles.reason}>
          {unavailable}
        </p>
      ) : add.isError ? (
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
