import { SHOP_LOCALE } from '@shop/contracts/format-price';

/** Browser-side settings of the cart fragment. API paths are same-origin: the shell proxies them to bff-web. */
export const config = {
  apiBase: '/api',
  /** Dates and times are written for the shop's one locale, as prices are (contracts' format-price). */
  locale: SHOP_LOCALE,
  /** How long fetched data counts as fresh; live updates and DOM events refetch it sooner. */
  staleTimeMs: 30_000,
} as const;

/** Client routes; the shell maps each to one of this fragment's exposed modules. */
export const paths = {
  catalog: '/',
  cart: '/cart',
  checkout: '/checkout',
  orders: '/orders',
  order: (orderId: string) => `/orders/${encodeURIComponent(orderId)}`,
  account: '/account',
  /** The account page, sending the shopper back to `next` once signed in. */
  signIn: (next: string) => `/account?next=${encodeURIComponent(next)}`,
} as const;
