import { Link, useLocation, useParams } from 'react-router';
import { fragments, type FragmentId } from '../config/fragments.ts';
import { FragmentSlot } from '../features/fragments/components/fragment-slot.tsx';
import { SlotLoading, SlotUnavailable } from './fragment-fallbacks.tsx';

/** One page of the shop: a path whose content is one fragment, with its slot's texts. */
export interface FragmentRouteDefinition {
  /** Route path under the layout; `''` is the index route. */
  path: string;
  fragment: FragmentId;
  /**
   * A path parameter handed to the fragment as the prop of the same name. A failed slot tries again
   * when it changes; without one, on any navigation (a new search, back/forward).
   */
  param?: 'sku' | 'orderId';
  loading: string;
  unavailable: string;
}

/** The shop's pages, in the order the router lists them. */
export const fragmentRoutes: readonly FragmentRouteDefinition[] = [
  {
    path: '',
    fragment: fragments.catalogPage,
    loading: 'Loading the catalog…',
    unavailable: 'The catalog is unavailable right now.',
  },
  {
    path: 'products/:sku',
    fragment: fragments.productPage,
    param: 'sku',
    loading: 'Loading the product…',
    unavailable: 'This product is unavailable right now.',
  },
  { path: 'cart', fragment: fragments.cartPage, loading: 'Loading your cart…', unavailable: 'The cart is unavailable right now.' },
  {
    path: 'checkout',
    fragment: fragments.checkoutPage,
    loading: 'Loading checkout…',
    unavailable: 'Checkout is unavailable right now.',
  },
  {
    path: 'orders',
    fragment: fragments.ordersPage,
    loading: 'Loading your orders…',
    unavailable: 'Your orders are unavailable right now.',
  },
  {
    path: 'orders/:orderId',
    fragment: fragments.orderPage,
    param: 'orderId',
    loading: 'Loading your order…',
    unavailable: 'This order is unavailable right now.',
  },
  {
    path: 'account',
    fragment: fragments.accountPage,
    loading: 'Loading your account…',
    unavailable: 'Signing in is unavailable right now.',
  },
];

/** The content of one fragment route: its slot, given the route's parameter. */
export function FragmentRoute({ route }: { route: FragmentRouteDefinition }) {
  const params = useParams();
  const { key } = useLocation();
  const value = route.param ? (params[route.param] ?? '') : undefined;
  return (
    <FragmentSlot
      id={route.fragment}
      props={route.param ? { [route.param]: value } : undefined}
      resetKey={route.param ? value : key}
      loading={<SlotLoading label={route.loading} />}
      fallback={(retry) => <SlotUnavailable message={route.unavailable} retry={retry} />}
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
