import { CartPage } from '../../features/cart/components/cart-page.tsx';
import { CartProviders } from '../providers.tsx';

/** Exposed as `mfe_cart/CartPage`; rendered by the shell at `/cart`. */
export default function CartPageEntry() {
  return (
    <CartProviders>
      <CartPage />
    </CartProviders>
  );
}
