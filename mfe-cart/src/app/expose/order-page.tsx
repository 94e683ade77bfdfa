import { OrderPage } from '../../features/orders/components/order-page.tsx';
import { CartProviders } from '../providers.tsx';

export interface OrderPageProps {
  orderId: string;
}

/** Exposed as `mfe_cart/OrderPage`; the shell passes the id from `/orders/:id`. */
export default function OrderPageEntry({ orderId }: OrderPageProps) {
  return (
    <CartProviders>
      <OrderPage orderId={orderId} />
    </CartProviders>
  );
}
