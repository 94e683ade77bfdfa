import { CartSummary } from '../../features/cart/components/cart-summary.tsx';
import { CheckoutPage } from '../../features/checkout/components/checkout-page.tsx';
import { CartProviders } from '../providers.tsx';

/** Exposed as `mfe_cart/CheckoutPage`; rendered by the shell at `/checkout`. */
export default function CheckoutPageEntry() {
  return (
    <CartProviders>
      <CheckoutPage summary={<CartSummary />} />
    </CartProviders>
  );
}
