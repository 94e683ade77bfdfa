import { config } from './app.ts';
import { fragments, type FragmentId } from './fragments.ts';

/** One page of the shop: a path whose content is one fragment, with its slot's texts and its head. */
export interface PageDefinition {
  /** Route path under the layout (react-router syntax, `:name` one segment); `''` is the index route. */
  path: string;
  fragment: FragmentId;
  /**
   * A path parameter handed to the fragment as the prop of the same name. A failed slot tries again
   * when it changes; without one, on any navigation (a new search, back/forward).
   */
  param?: 'sku' | 'orderId';
  loading: string;
  unavailable: string;
  /** The page's `<title>` (a fragment may name it more precisely once its data is there). */
  title: string;
  /** `<meta name="description">`. */
  description: string;
  /**
   * Other teams' modules the page's fragment is known to load as soon as it renders (the catalog's
   * tiles carry the cart's button): the shell's server preloads them with the page's own. A stale
   * entry costs a wasted preload, nothing else.
   */
  alsoLoads?: readonly string[];
}

/** `Kettles — Storefront`. */
export const pageTitle = (name: string) => `${name} — ${config.shopName}`;

/** The module every page loads in its header. */
export const headerFragments: readonly string[] = [fragments.miniCart];

const addToCart = 'mfe_cart/AddToCart';

/** The shop's pages, in the order the router lists them. */
export const pages: readonly PageDefinition[] = [
  {
    path: '',
    fragment: fragments.catalogPage,
    loading: 'Loading the catalog…',
    unavailable: 'The catalog is unavailable right now.',
    title: pageTitle('All products'),
    description: 'Browse every product in the shop with its price and live stock, search by name and filter by category.',
    alsoLoads: [addToCart],
  },
  {
    path: 'products/:sku',
    fragment: fragments.productPage,
    param: 'sku',
    loading: 'Loading the product…',
    unavailable: 'This product is unavailable right now.',
    title: pageTitle('Product'),
    description: 'Product details with the current price and live stock.',
    alsoLoads: [addToCart],
  },
  {
    path: 'cart',
    fragment: fragments.cartPage,
    loading: 'Loading your cart…',
    unavailable: 'The cart is unavailable right now.',
    title: pageTitle('Your cart'),
    description: 'The products in your cart, their quantities and the total.',
  },
  {
    path: 'checkout',
    fragment: fragments.checkoutPage,
    loading: 'Loading checkout…',
    unavailable: 'Checkout is unavailable right now.',
    title: pageTitle('Checkout'),
    description: 'Enter your shipping address and card to place your order.',
  },
  {
    path: 'orders',
    fragment: fragments.ordersPage,
    loading: 'Loading your orders…',
    unavailable: 'Your orders are unavailable right now.',
    title: pageTitle('Your orders'),
    description: 'Your orders and where each one is.',
  },
  {
    path: 'orders/:orderId',
    fragment: fragments.orderPage,
    param: 'orderId',
    loading: 'Loading your order…',
    unavailable: 'This order is unavailable right now.',
    title: pageTitle('Your order'),
    description: 'The status of your order, updated live.',
  },
  {
    path: 'account',
    fragment: fragments.accountPage,
    loading: 'Loading your account…',
    unavailable: 'Signing in is unavailable right now.',
    title: pageTitle('Sign in'),
    description: 'Sign in or create an account to keep your cart and follow your orders.',
  },
];

/** The head of any address no page matches. */
export const notFoundPage = {
  title: pageTitle('Page not found'),
  description: 'There is nothing at this address.',
} as const;

/** The page whose path matches `pathname` (`/products/KIT-0001`), segment by segment; undefined for none. */
export function matchPage(pathname: string): PageDefinition | undefined {
  const segments = pathname.split('/').filter(Boolean);
  return pages.find((page) => {
    const pattern = page.path.split('/').filter(Boolean);
    return pattern.length === segments.length && pattern.every((part, i) => part.startsWith(':') || part === segments[i]);
  });
}
