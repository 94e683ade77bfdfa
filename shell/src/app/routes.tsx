import { Link, useLocation, useParams } from 'react-router';
import { fragments } from '../config/fragments.ts';
import { FragmentSlot } from '../features/fragments/components/fragment-slot.tsx';
import { SlotLoading, SlotUnavailable } from './fragment-fallbacks.tsx';

export function CatalogRoute() {
  // Any navigation (new search, back/forward) gives a failed slot another try.
  const { key } = useLocation();
  return (
    <FragmentSlot
      id={fragments.catalogPage}
      resetKey={key}
      loading={<SlotLoading label="Loading the catalog…" />}
      fallback={(retry) => <SlotUnavailable message="The catalog is unavailable right now." retry={retry} />}
    />
  );
}

export function ProductRoute() {
  const { sku = '' } = useParams();
  return (
    <FragmentSlot
      id={fragments.productPage}
      props={{ sku }}
      resetKey={sku}
      loading={<SlotLoading label="Loading the product…" />}
      fallback={(retry) => <SlotUnavailable message="This product is unavailable right now." retry={retry} />}
    />
  );
}

export function CartRoute() {
  const { key } = useLocation();
  return (
    <FragmentSlot
      id={fragments.cartPage}
      resetKey={key}
      loading={<SlotLoading label="Loading your cart…" />}
      fallback={(retry) => <SlotUnavailable message="The cart is unavailable right now." retry={retry} />}
    />
  );
}

export function CheckoutRoute() {
  const { key } = useLocation();
  return (
    <FragmentSlot
      id={fragments.checkoutPage}
      resetKey={key}
      loading={<SlotLoading label="Loading checkout…" />}
      fallback={(retry) => <SlotUnavailable message="Checkout is unavailable right now." retry={retry} />}
    />
  );
}

export function OrdersRoute() {
  const { key } = useLocation();
  return (
    <FragmentSlot
      id={fragments.ordersPage}
      resetKey={key}
      loading={<SlotLoading label="Loading your orders…" />}
      fallback={(retry) => <SlotUnavailable message="Your orders are unavailable right now." retry={retry} />}
    />
  );
}

export function OrderRoute() {
  const { orderId = '' } = useParams();
  return (
    <FragmentSlot
      id={fragments.orderPage}
      props={{ orderId }}
      resetKey={orderId}
      loading={<SlotLoading label="Loading your order…" />}
      fallback={(retry) => <SlotUnavailable message="This order is unavailable right now." retry={retry} />}
    />
  );
}

export function AccountRoute() {
  const { key } = useLocation();
  return (
    <FragmentSlot
      id={fragments.accountPage}
      resetKey={key}
      loading={<SlotLoading label="Loading your account…" />}
      fallback={(retry) => <SlotUnavailable message="Signing in is unavailable right now." retry={retry} />}
    />
  );
}

export function NotFoundRoute() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link to="/">See all products</Link>.
      </p>
    </section>
  );
}
