import { MiniCart } from '../../features/cart/components/mini-cart.tsx';
import { CartProviders } from '../providers.tsx';

/** Exposed as `mfe_cart/MiniCart`; mounted in the shell header on every page. */
export default function MiniCartEntry() {
  return (
    <CartProviders>
      <MiniCart />
    </CartProviders>
  );
}
