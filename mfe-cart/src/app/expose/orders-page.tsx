import { OrdersPage } from '../../features/orders/components/orders-page.tsx';
import { CartProviders } from '../providers.tsx';

/** Exposed as `mfe_cart/OrdersPage`; rendered by the shell at `/orders`. */
export default function OrdersPageEntry() {
  return (
    <CartProviders>
      <OrdersPage />
    </CartProviders>
  );
}
