import { MiniCart } from '../../features/cart/components/mini-cart.tsx';

/** Exposed as `mfe_cart/MiniCart`; mounted in the shell header. */
export default function MiniCartEntry() {
  return <MiniCart />;
}
