import { AddToCart, type AddToCartProps } from '../../features/cart/components/add-to-cart.tsx';
import { CartProviders } from '../providers.tsx';

export type { AddToCartProps };

/** Exposed as `mfe_cart/AddToCart`; the catalog fragment mounts it in its tiles and product page. */
export default function AddToCartEntry({ sku, name, unavailable }: AddToCartProps) {
  return (
    <CartProviders>
      <AddToCart sku={sku} name={name} unavailable={unavailable} />
    </CartProviders>
  );
}
